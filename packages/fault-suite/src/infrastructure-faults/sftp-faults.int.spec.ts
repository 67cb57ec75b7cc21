import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';

import { topologyOf, Topics } from '@bq-sftp-export/contracts';
import { pollUntil, startOpenSshServer } from '@bq-sftp-export/testing';
import type { OpenSshServer } from '@bq-sftp-export/testing';

import { expectNoLeaks, seededValues } from './testing/leak-check.js';
import { KLAVIYO, SHOPIFY, startFaultStack, WAIT } from './testing/fault-stack.js';
import type { FaultStack } from './testing/fault-stack.js';

const ROWS = 800;
const fileReady = topologyOf(Topics.fileReady);

/**
 * The partner's SFTP server failing under a running system: down for a while, a connection cut
 * in the middle of a file, a host key that no longer matches the pinned fingerprint. One stack
 * for the file; the uploader reaches OpenSSH through a proxy the tests control.
 */
describe('infrastructure faults: the partner SFTP server', () => {
  let faults: FaultStack;
  let impostor: OpenSshServer | undefined;

  beforeAll(async () => {
    faults = await startFaultStack({ rowsPerTable: ROWS });
  }, 180_000);

  afterAll(async () => {
    await impostor?.stop();
    await faults?.stop();
  });

  const sha256Of = async (fileName: string): Promise<string> =>
    createHash('sha256')
      .update(await readFile(path.join(faults.stack.deliveryDirectory, fileName)))
      .digest('hex');

  /** Waits for the export's email and checks it is the only one, and says the run succeeded. */
  async function expectOnlySuccessEmail(exportName: string): Promise<void> {
    const subjects = await pollUntil(
      () => {
        const about = faults.subjectsAbout(exportName);
        return about.length > 0 ? about : undefined;
      },
      { describe: 'the success email', ...WAIT },
    );
    expect(subjects).toEqual([expect.stringContaining(`${exportName} succeeded`)]);
  }

  it('a connection cut in the middle of the file: no partial file at the final name, retried, delivered once', async () => {
    let atCut: { files: string[]; partialBytes: number } | undefined;
    // The SSH handshake and login take a few KiB; the file is ~20 times larger than the cut.
    const cut = faults.proxy.cutOnceAfter(64 * 1024, async () => {
      const files = await faults.delivered();
      const partial = files.find((name) => name.startsWith('.'));
      atCut = {
        files,
        partialBytes:
          partial === undefined ? -1 : (await stat(path.join(faults.stack.deliveryDirectory, partial))).size,
      };
    });
    const { progress } = await faults.run({ exports: [SHOPIFY] });
    await cut;
    const [entry] = progress.exports();
    expect(entry).toMatchObject({ exportName: SHOPIFY, step: 'delivered', rows: ROWS });
    const runId = entry!.runId!;
    const [staged] = faults.eventsOf('extract.staged', runId);
    const fileName = staged!.file.fileName;

    // At the cut the partner saw only a temporary name (hidden, beside the final one) holding part of the file.
    expect(atCut!.files).toHaveLength(1);
    expect(atCut!.files[0]).toMatch(new RegExp(`^\\.${fileName.replaceAll('.', '\\.')}\\.`));
    expect(atCut!.partialBytes).toBeGreaterThanOrEqual(0);
    expect(atCut!.partialBytes).toBeLessThan(staged!.file.byteSize);

    const failed = faults.eventsOf('upload.failed', runId);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ attempt: 1, fileName, error: { retryable: true } });
    expect(['SFTP_CONNECTION_LOST', 'SFTP_NETWORK']).toContain(failed[0]!.error.code);
    const delivered = faults.eventsOf('upload.delivered', runId);
    expect(delivered).toHaveLength(1);
    expect(delivered[0]).toMatchObject({ attempt: 2, fileName, sha256: staged!.file.sha256 });

    // The retry wrote the temporary name again from the start and renamed it: one whole file.
    expect(await faults.delivered()).toEqual([fileName]);
    expect(await sha256Of(fileName)).toBe(staged!.file.sha256);
    expect(faults.stack.cloud.pubsub.outstanding(fileReady.deadLetterSubscription)).toHaveLength(0);
    // A failure that was retried away is no alert: the one email says the run succeeded.
    await expectOnlySuccessEmail(SHOPIFY);
  }, 240_000);

  it('the server hangs in the middle of the file: the attempt times out, is retried, the file delivered once', async () => {
    const before = await faults.delivered();
    const stalled = faults.proxy.stallOnceAfter(64 * 1024);
    const { progress } = await faults.run({ exports: [SHOPIFY], mode: 'full' }, 180_000);
    await stalled;
    const [entry] = progress.exports();
    expect(entry).toMatchObject({ step: 'delivered', rows: ROWS });
    const runId = entry!.runId!;
    // One attempt hung and timed out; the message was not handed out again meanwhile.
    const failed = faults.eventsOf('upload.failed', runId);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ attempt: 1, error: { retryable: true } });
    expect(['SFTP_TIMEOUT', 'SFTP_CONNECTION_LOST']).toContain(failed[0]!.error.code);
    expect(faults.eventsOf('upload.delivered', runId)).toEqual([expect.objectContaining({ attempt: 2 })]);
    expect(await faults.delivered()).toEqual([...before, entry!.fileName].sort());
    expect(await sha256Of(entry!.fileName!)).toBe(faults.eventsOf('extract.staged', runId)[0]!.file.sha256);
  }, 240_000);

  it('the server down for a while: retried with backoff, delivered exactly once when it is back', async () => {
    const before = await faults.delivered();
    await faults.sftp.halt();
    let requestId: string;
    try {
      requestId = await faults.request({ exports: [KLAVIYO] });
      await pollUntil(
        () =>
          faults.eventsOf('upload.failed').filter((event) => event.exportName === KLAVIYO).length >= 3
            ? true
            : undefined,
        { describe: 'three failed attempts', ...WAIT },
      );
    } finally {
      await faults.sftp.restart();
    }
    const started = await pollUntil(
      () => faults.eventsOf('extract.started').find((event) => event.requestId === requestId),
      { describe: 'the run', ...WAIT },
    );
    const runId = started.runId;
    const delivered = await pollUntil(() => faults.eventsOf('upload.delivered', runId)[0], {
      describe: 'the delivery',
      ...WAIT,
    });
    const failed = faults.eventsOf('upload.failed', runId);
    expect(failed.length).toBeGreaterThanOrEqual(3);
    expect(failed.length).toBeLessThan(fileReady.maxDeliveryAttempts);
    expect(failed.map((event) => event.attempt)).toEqual(failed.map((_, index) => index + 1));
    for (const event of failed) {
      expect(event.error).toMatchObject({ code: 'SFTP_NETWORK', retryable: true });
    }
    // Pub/Sub's backoff (at least a second here) separates the attempts.
    for (let i = 1; i < failed.length; i++) {
      expect(
        Date.parse(failed[i]!.occurredAt) - Date.parse(failed[i - 1]!.occurredAt),
      ).toBeGreaterThanOrEqual(900);
    }
    expect(delivered.attempt).toBe(failed.length + 1);

    await pollUntil(
      () => (faults.stack.cloud.pubsub.outstanding(fileReady.subscription).length === 0 ? true : undefined),
      { describe: 'the message acked', ...WAIT },
    );
    expect(faults.eventsOf('upload.delivered', runId)).toHaveLength(1);
    expect(faults.stack.cloud.pubsub.outstanding(fileReady.deadLetterSubscription)).toHaveLength(0);
    expect(await faults.delivered()).toEqual([...before, delivered.fileName].sort());
    expect(await sha256Of(delivered.fileName)).toBe(faults.eventsOf('extract.staged', runId)[0]!.file.sha256);

    // Retried failures are history, not alerts: one success email and Slack post, no failure.
    await expectOnlySuccessEmail(KLAVIYO);
  }, 240_000);

  it('connections closed before the server speaks: retried, delivered once', async () => {
    const before = await faults.delivered();
    faults.proxy.closeNextOnAccept(2);
    const { progress } = await faults.run({ exports: [SHOPIFY], mode: 'full' });
    const [entry] = progress.exports();
    expect(entry).toMatchObject({ step: 'delivered', rows: ROWS });
    const runId = entry!.runId!;
    const failed = faults.eventsOf('upload.failed', runId);
    expect(failed.map((event) => [event.attempt, event.error.retryable])).toEqual([
      [1, true],
      [2, true],
    ]);
    expect(faults.eventsOf('upload.delivered', runId)).toEqual([expect.objectContaining({ attempt: 3 })]);
    expect(await faults.delivered()).toEqual([...before, entry!.fileName].sort());
  }, 240_000);

  it('a changed host key: refused before login, nothing uploaded, dead-lettered at once, alert sent', async () => {
    impostor = await startOpenSshServer({ passwordAuthentication: true });
    const before = await faults.delivered();
    const failedMails = () => faults.subjectsAbout(SHOPIFY).filter((subject) => subject.includes('FAILED'));
    const mailsBefore = failedMails().length;
    // Announced as high severity: a changed host key can be a man-in-the-middle.
    const HIGH_SEVERITY = `HIGH SEVERITY: ${SHOPIFY} FAILED: SFTP host key changed`;
    const postsBefore = faults.postsSaying(HIGH_SEVERITY).length;
    faults.proxy.setUpstream(impostor.port);
    let runId: string;
    try {
      const { progress } = await faults.run({ exports: [SHOPIFY], mode: 'full' });
      const [failure] = progress.failures();
      expect(failure).toMatchObject({
        exportName: SHOPIFY,
        error: { step: 'upload', code: 'SFTP_HOST_KEY_MISMATCH', retryable: false },
      });
      runId = failure!.runId!;
      await pollUntil(
        () =>
          faults.stack.cloud.pubsub.outstanding(fileReady.deadLetterSubscription).length === 1
            ? true
            : undefined,
        { describe: 'the dead letter', ...WAIT },
      );
      await pollUntil(
        () =>
          failedMails().length > mailsBefore && faults.postsSaying(HIGH_SEVERITY).length > postsBefore
            ? true
            : undefined,
        { describe: 'the failure email and Slack post', ...WAIT },
      );
    } finally {
      faults.proxy.setUpstream(faults.sftp.port);
    }
    const failed = faults.eventsOf('upload.failed', runId);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ attempt: 1 });
    expect(faults.stack.cloud.pubsub.outstanding(fileReady.subscription)).toHaveLength(0);
    expect(faults.eventsOf('upload.delivered', runId)).toHaveLength(0);
    // Refused during key exchange: the impostor never saw a login attempt, nor got a file.
    expect(impostor.log()).not.toMatch(/Accepted password|Failed password|Postponed/);
    expect(await faults.delivered()).toEqual(before);

    expect(failedMails()).toHaveLength(mailsBefore + 1);
    const mail = faults.stack.cloud.smtp
      .messages()
      .find((message) => message.subject === failedMails().at(-1));
    expect(mail?.subject).toContain(HIGH_SEVERITY);
    expect(mail?.text).toContain('SFTP_HOST_KEY_MISMATCH');
    const posts = faults.postsSaying(HIGH_SEVERITY).slice(postsBefore);
    expect(posts).toHaveLength(1);
    expect(JSON.stringify(posts[0]!.payload)).toContain('SFTP_HOST_KEY_MISMATCH');

    // The operator checks the key (here: the real server is back) and replays the dead letter.
    const replayed = await faults.bqSftp(
      'replay',
      '--subscription',
      fileReady.deadLetterSubscription,
      '--json',
    );
    expect(replayed).toContain(runId);
    const delivered = await pollUntil(() => faults.eventsOf('upload.delivered', runId)[0], {
      describe: 'the replayed delivery',
      ...WAIT,
    });
    expect(await faults.delivered()).toEqual([...before, delivered.fileName].sort());
  }, 240_000);

  it('no log holds the SFTP password or an exported value', async () => {
    expectNoLeaks(await faults.logs(), [faults.password], await seededValues(faults.stack));
  }, 60_000);
});
