import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';

import { renderFileName } from '@bq-sftp-export/config';

import {
  contextFor,
  publishedEvents,
  resendOf,
  sha256Of,
  stagedRef,
  stagingBucket,
} from './testing/deliver-file-kit.js';
import { harnessPassphrase, OpenSshDeliveryHarness } from './testing/openssh-delivery-harness.js';

describe('DeliverFileHandler with the local Cloud Storage and a real OpenSSH server', () => {
  const harness = new OpenSshDeliveryHarness();
  beforeAll(() => harness.start());
  afterAll(() => harness.stop());
  beforeEach(() => harness.nextInbox());

  const setup = (options?: Parameters<OpenSshDeliveryHarness['setup']>[0]) => harness.setup(options);
  const stage: OpenSshDeliveryHarness['stage'] = (content, overrides) => harness.stage(content, overrides);
  const ledgerRecords = () => harness.ledgerRecords();

  it('delivers with password auth: the final file, no temporary file, a ledger record, upload.delivered', async () => {
    const { handler, publisher, logs } = setup();
    const content = 'id,email\n1,a@example.com\n'.repeat(1000);
    const file = await stage(content);

    expect(await handler.handle(file, contextFor(logs))).toEqual({ kind: 'ack' });

    expect(await readdir(harness.inbox)).toEqual([file.fileName]);
    expect(sha256Of(await readFile(path.join(harness.inbox, file.fileName)))).toBe(file.sha256);
    expect(ledgerRecords()).toEqual([
      `ledger/default/shopify_customers/${file.runId}/${file.fileName}/${file.sha256}.json`,
    ]);
    expect(publishedEvents(publisher)).toEqual([
      expect.objectContaining({
        type: 'upload.delivered',
        remotePath: path.posix.join(harness.inbox, file.fileName),
        byteSize: file.byteSize,
        sha256: file.sha256,
        attempt: 1,
      }),
    ]);
    expect(logs.text()).not.toContain(harness.server.password ?? 'no password');
  });

  it('delivers with an encrypted private key to a named destination', async () => {
    const { handler, publisher, logs } = setup();
    const file = await stage('id\n42\n', { destination: 'partner' });

    expect(await handler.handle(file, contextFor(logs))).toEqual({ kind: 'ack' });

    expect(await readFile(path.join(harness.inbox, file.fileName), 'utf8')).toBe('id\n42\n');
    expect(publishedEvents(publisher)[0]).toMatchObject({ type: 'upload.delivered', destination: 'partner' });
    expect(logs.text()).not.toContain(harnessPassphrase);
    expect(logs.text()).not.toContain('PRIVATE KEY');
  });

  it("gives the delivered file the destination's file_mode, and 0600 when the config names none", async () => {
    const { handler, logs } = setup({ partner: { file_mode: '0640' } });
    const shared = await stage('id\n7\n', { destination: 'partner', fileName: `SHARED_${harness.seq}.csv` });
    const private_ = await stage('id\n8\n', { fileName: `PRIVATE_${harness.seq}.csv` });

    expect(await handler.handle(shared, contextFor(logs))).toEqual({ kind: 'ack' });
    expect(await handler.handle(private_, contextFor(logs))).toEqual({ kind: 'ack' });

    expect((await stat(path.join(harness.inbox, shared.fileName))).mode & 0o7777).toBe(0o640);
    expect((await stat(path.join(harness.inbox, private_.fileName))).mode & 0o7777).toBe(0o600);
  });

  it('uploads a file once when file.ready comes twice in a row', async () => {
    const { handler, transfer, publisher, logs } = setup();
    const file = await stage('id\n1\n2\n');

    expect(await handler.handle(file, contextFor(logs))).toEqual({ kind: 'ack' });
    expect(await handler.handle(file, contextFor(logs, { messageId: '2' }))).toEqual({ kind: 'ack' });

    expect(transfer.uploads).toBe(1);
    expect(ledgerRecords()).toHaveLength(1);
    expect(publishedEvents(publisher).map((event) => event.type)).toEqual([
      'upload.delivered',
      'upload.delivered',
      'upload.duplicate',
    ]);
  });

  it('uploads a file once when two deliveries of its file.ready run at the same time', async () => {
    const { handler, transfer, logs } = setup();
    const file = await stage(Buffer.alloc(4 * 1024 * 1024, 7));

    const outcomes = await Promise.all([
      handler.handle(file, contextFor(logs, { messageId: 'a' })),
      handler.handle(file, contextFor(logs, { messageId: 'b' })),
    ]);
    // The one that found the file claimed retries; redelivered, it finds the delivery.
    for (const [index, outcome] of outcomes.entries()) {
      if (outcome.kind === 'retry') {
        expect(
          await handler.handle(file, contextFor(logs, { messageId: String(index), deliveryAttempt: 2 })),
        ).toEqual({
          kind: 'ack',
        });
      }
    }

    expect(outcomes.map((outcome) => outcome.kind).sort()).toEqual(['ack', 'retry']);
    expect(transfer.uploads).toBe(1);
    expect(ledgerRecords()).toHaveLength(1);
    expect(await readdir(harness.inbox)).toEqual([file.fileName]);
  });

  it('uploads a resend again and records it as a resend', async () => {
    const { handler, transfer, publisher, logs } = setup();
    const file = await stage('id\n9\n');
    await handler.handle(file, contextFor(logs));
    await rm(path.join(harness.inbox, file.fileName)); // the partner picked it up

    expect(await handler.handle(resendOf(file, 'resend-1'), contextFor(logs))).toEqual({ kind: 'ack' });

    expect(transfer.uploads).toBe(2);
    expect(await readFile(path.join(harness.inbox, file.fileName), 'utf8')).toBe('id\n9\n');
    expect(ledgerRecords().sort()).toEqual([
      `ledger/default/shopify_customers/${file.runId}/${file.fileName}/${file.sha256}.json`,
      `ledger/default/shopify_customers/${file.runId}/${file.fileName}/${file.sha256}/resends/resend-1.json`,
    ]);
    expect(publishedEvents(publisher).at(-1)).toMatchObject({
      type: 'upload.delivered',
      resendId: 'resend-1',
    });
  });

  it('retries while the server is down and delivers once it is back', async () => {
    const { handler, publisher, logs } = setup();
    const file = await stage('id\n5\n');
    await harness.server.halt();
    let outcome;
    try {
      outcome = await handler.handle(file, contextFor(logs, { deliveryAttempt: 1 }));
    } finally {
      await harness.server.restart();
    }

    expect(outcome?.kind).toBe('retry');
    expect(publishedEvents(publisher)).toEqual([
      expect.objectContaining({
        type: 'upload.failed',
        attempt: 1,
        error: expect.objectContaining({ code: 'SFTP_NETWORK', retryable: true }),
      }),
    ]);
    expect(ledgerRecords()).toEqual([]);

    expect(await handler.handle(file, contextFor(logs, { deliveryAttempt: 2 }))).toEqual({ kind: 'ack' });
    expect(await readdir(harness.inbox)).toEqual([file.fileName]);
  });

  it('reports the last failed attempt as final; the replayed dead letter delivers exactly once', async () => {
    const { handler, transfer, publisher, logs } = setup({ maxDeliveryAttempts: 2 });
    const file = await stage('id\n6\n');
    await harness.server.halt();
    const outcomes = [];
    try {
      for (const deliveryAttempt of [1, 2]) {
        outcomes.push(await handler.handle(file, contextFor(logs, { deliveryAttempt })));
      }
    } finally {
      await harness.server.restart();
    }
    expect(outcomes.map((outcome) => outcome.kind)).toEqual(['retry', 'retry']);
    expect(
      publishedEvents(publisher).map((event) => event.type === 'upload.failed' && event.error.retryable),
    ).toEqual([true, false]);

    // The operator replays the dead letter (a new message, first attempt) once the server is back.
    expect(await handler.handle(file, contextFor(logs, { deliveryAttempt: 1, messageId: 'replay' }))).toEqual(
      {
        kind: 'ack',
      },
    );
    expect(
      await handler.handle(file, contextFor(logs, { deliveryAttempt: 1, messageId: 'replay-2' })),
    ).toEqual({
      kind: 'ack',
    });
    expect(transfer.uploads).toBe(3);
    expect(await readdir(harness.inbox)).toEqual([file.fileName]);
    expect(ledgerRecords()).toHaveLength(1);
  });

  it('two runs of one export started in the same second: {datetime_ms} and {run_id} names are both delivered, {datetime} collides', async () => {
    const { handler, publisher, logs } = setup();
    const runs = [
      { runId: '20261126T110005Z-0123456789ab', runStartedAt: new Date('2026-11-26T11:00:05.120Z') },
      { runId: '20261126T110005Z-ba9876543210', runStartedAt: new Date('2026-11-26T11:00:05.870Z') },
    ];
    const deliver = async (template: string) => {
      const outcomes = [];
      for (const [index, run] of runs.entries()) {
        const fileName = renderFileName(template, {
          ...run,
          timeZone: 'UTC',
          exportName: 'shopify_customers',
          windowEnd: run.runStartedAt,
        });
        const file = await stage(`id\n${index}\n`, { runId: run.runId, fileName });
        outcomes.push(await handler.handle(file, contextFor(logs, { messageId: `${template}-${index}` })));
      }
      return outcomes;
    };

    expect(await deliver('M_{datetime_ms}.csv')).toEqual([{ kind: 'ack' }, { kind: 'ack' }]);
    expect(await deliver('R_{run_id}.csv')).toEqual([{ kind: 'ack' }, { kind: 'ack' }]);
    expect((await readdir(harness.inbox)).sort()).toEqual([
      'M_20261126_110005120.csv',
      'M_20261126_110005870.csv',
      'R_20261126T110005Z-0123456789ab.csv',
      'R_20261126T110005Z-ba9876543210.csv',
    ]);
    expect(await readFile(path.join(harness.inbox, 'M_20261126_110005870.csv'), 'utf8')).toBe('id\n1\n');

    // What validate warns about: the one-second {datetime} repeats, the second run cannot deliver.
    const [first, second] = await deliver('S_{datetime}.csv');
    expect(first).toEqual({ kind: 'ack' });
    expect(second).toMatchObject({ kind: 'deadLetter', code: 'SFTP_TARGET_EXISTS' });
    expect(await readFile(path.join(harness.inbox, 'S_20261126_110005.csv'), 'utf8')).toBe('id\n0\n');
    expect(publishedEvents(publisher).at(-1)).toMatchObject({
      type: 'upload.failed',
      runId: runs[1]?.runId,
      error: { code: 'SFTP_TARGET_EXISTS' },
    });
  });

  it('dead-letters a file whose staged generation was replaced, without touching the server', async () => {
    const { handler, transfer, logs } = setup();
    const file = await stage('id\n1\n');
    await harness.storage
      .bucket(stagingBucket)
      .file(stagedRef(file.runId, file.fileName).name)
      .save('id\n2\n');

    expect(await handler.handle(file, contextFor(logs))).toMatchObject({
      kind: 'deadLetter',
      code: 'STAGED_OBJECT_MISSING',
    });
    expect(transfer.uploads).toBe(0);
    expect(existsSync(path.join(harness.inbox, file.fileName))).toBe(false);
  });
});
