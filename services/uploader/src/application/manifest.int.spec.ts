import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { chmod, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

import {
  FaultInjector,
  FaultPoints,
  installFaultInjector,
  parseFaultPlan,
  type FaultPoint,
} from '@bq-sftp-export/runtime';
import { generateKey } from 'openpgp';

import { contextFor, publishedEvents, sha256Of, stagingBucket } from './testing/deliver-file-kit.js';
import { OpenSshDeliveryHarness } from './testing/openssh-delivery-harness.js';

/** Stops the next delivery at `point` (a real fault point) until `resume` is called. */
function pauseAt(point: FaultPoint): { reached: Promise<void>; resume: () => void } {
  let resume: () => void = () => undefined;
  let arrived: () => void = () => undefined;
  const reached = new Promise<void>((resolve) => {
    arrived = resolve;
  });
  const effects = {
    kill: () => {
      throw new Error('no kill expected');
    },
    note: () => undefined,
    schedule: (_delayMs: number, run: () => void) => {
      resume = run;
      arrived();
    },
  };
  const plan = parseFaultPlan({ BQX_FAULT_INJECTION: `${point}:pause+60000ms` });
  installFaultInjector(new FaultInjector(plan, effects));
  return { reached, resume: () => resume() };
}

const csv = 'id,email\n1,a@example.com\n2,b@example.com\n3,c@example.com\n';

describe('manifests written after the delivered file, against a real OpenSSH server', () => {
  const harness = new OpenSshDeliveryHarness();
  beforeAll(() => harness.start());
  afterAll(() => harness.stop());
  beforeEach(() => harness.nextInbox());
  afterEach(() => installFaultInjector(undefined));

  const inboxFile = (name: string) => path.join(harness.inbox, name);
  const ledgerPrefix = () => `ledger/default/shopify_customers/run-${harness.seq}`;

  it('writes a JSON manifest next to the file: its name, size, sha256, rows, the run and window', async () => {
    const { handler, publisher, transfer, logs } = harness.setup({ sftp: { manifest: { format: 'json' } } });
    const file = await harness.stage(csv, { rowCount: 3 });

    expect(await handler.handle(file, contextFor(logs))).toEqual({ kind: 'ack' });

    const manifestName = `${file.fileName}.manifest.json`;
    expect((await readdir(harness.inbox)).sort()).toEqual([file.fileName, manifestName]);
    const data = await readFile(inboxFile(file.fileName));
    expect(JSON.parse(await readFile(inboxFile(manifestName), 'utf8'))).toEqual({
      schema_version: 1,
      run_id: file.runId,
      export_name: 'shopify_customers',
      config_name: 'default',
      mode: 'incremental',
      window: { low: file.window.low, high: file.window.high },
      files: [
        {
          name: file.fileName,
          size_bytes: data.length,
          sha256: sha256Of(data),
          rows: 3,
          format: 'csv',
          compression: 'none',
        },
      ],
      created_at: file.createdAt,
    });
    expect(transfer.fileNames).toEqual([file.fileName, manifestName]);
    expect(harness.ledgerRecords().sort()).toEqual([
      `${ledgerPrefix()}/${file.fileName}/${file.sha256}.json`,
      `${ledgerPrefix()}/${file.fileName}/${file.sha256}.manifest.json`,
    ]);
    expect(publishedEvents(publisher)).toEqual([
      expect.objectContaining({
        type: 'upload.delivered',
        remotePath: path.posix.join(harness.inbox, file.fileName),
        manifestPath: path.posix.join(harness.inbox, manifestName),
      }),
    ]);
  });

  it('gives a full export a window without a lower bound', async () => {
    const { handler, logs } = harness.setup({ sftp: { manifest: { format: 'json' } } });
    const file = await harness.stage(csv, { mode: 'full', window: { high: '2026-11-26T05:00:00Z' } });

    expect(await handler.handle(file, contextFor(logs))).toEqual({ kind: 'ack' });

    const manifest = JSON.parse(await readFile(inboxFile(`${file.fileName}.manifest.json`), 'utf8'));
    expect(manifest).toMatchObject({ mode: 'full', window: { low: null, high: '2026-11-26T05:00:00Z' } });
  });

  it('writes a .done marker that sha256sum -c accepts, to a named destination', async () => {
    const { handler, publisher, logs } = harness.setup({ partner: { manifest: { format: 'done' } } });
    const file = await harness.stage(csv, { destination: 'partner' });

    expect(await handler.handle(file, contextFor(logs))).toEqual({ kind: 'ack' });

    const marker = `${file.fileName}.done`;
    expect((await readdir(harness.inbox)).sort()).toEqual([file.fileName, marker]);
    expect(await readFile(inboxFile(marker), 'utf8')).toBe(`${file.sha256}  ${file.fileName}\n`);
    const { stdout } = await promisify(execFile)('sha256sum', ['-c', marker], { cwd: harness.inbox });
    expect(stdout).toBe(`${file.fileName}: OK\n`);
    expect(publishedEvents(publisher)[0]).toMatchObject({
      manifestPath: path.posix.join(harness.inbox, marker),
    });
  });

  it('renders a custom .ok marker name with {export}, {run_id} and the window', async () => {
    const name = '{export}_{run_id}_{window_end}_{file}.ok';
    const { handler, logs } = harness.setup({ sftp: { manifest: { format: 'ok', name } } });
    const file = await harness.stage(csv);

    expect(await handler.handle(file, contextFor(logs))).toEqual({ kind: 'ack' });

    expect((await readdir(harness.inbox)).sort()).toEqual(
      [file.fileName, `shopify_customers_${file.runId}_20261126T050000Z_${file.fileName}.ok`].sort(),
    );
  });

  it('writes the manifest last: the data file is complete and recorded before it appears', async () => {
    const { handler, publisher, logs } = harness.setup({ sftp: { manifest: { format: 'json' } } });
    const file = await harness.stage(csv);
    const paused = pauseAt(FaultPoints.uploaderRecorded);

    const delivering = handler.handle(file, contextFor(logs));
    await paused.reached;
    // Between the ledger record and the manifest: the file is whole, the manifest not there yet.
    expect(await readdir(harness.inbox)).toEqual([file.fileName]);
    expect(sha256Of(await readFile(inboxFile(file.fileName)))).toBe(file.sha256);
    expect(harness.ledgerRecords()).toEqual([`${ledgerPrefix()}/${file.fileName}/${file.sha256}.json`]);
    expect(publishedEvents(publisher)).toEqual([]);
    paused.resume();

    expect(await delivering).toEqual({ kind: 'ack' });
    const manifestName = `${file.fileName}.manifest.json`;
    expect((await readdir(harness.inbox)).sort()).toEqual([file.fileName, manifestName]);
    const [dataStat, manifestStat] = await Promise.all([
      stat(inboxFile(file.fileName)),
      stat(inboxFile(manifestName)),
    ]);
    expect(manifestStat.mtimeMs).toBeGreaterThanOrEqual(dataStat.mtimeMs);
    expect(publishedEvents(publisher).map((event) => event.type)).toEqual(['upload.delivered']);
  });

  it('when the manifest fails after the data file, the replay writes the manifest and not the data', async () => {
    const { handler, transfer, publisher, logs } = harness.setup({ sftp: { manifest: { format: 'json' } } });
    const file = await harness.stage(csv);
    const manifestName = `${file.fileName}.manifest.json`;
    const paused = pauseAt(FaultPoints.uploaderRecorded);

    const delivering = handler.handle(file, contextFor(logs));
    await paused.reached;
    await chmod(harness.inbox, 0o755); // owned by root: the SFTP user can no longer write there
    paused.resume();
    const first = await delivering;

    expect(first).toMatchObject({ kind: 'deadLetter', code: 'SFTP_PERMISSION_DENIED' });
    expect(await readdir(harness.inbox)).toEqual([file.fileName]);
    expect(publishedEvents(publisher)).toEqual([
      expect.objectContaining({
        type: 'upload.failed',
        error: expect.objectContaining({
          code: 'SFTP_PERMISSION_DENIED',
          message: expect.stringContaining(`manifest ${path.posix.join(harness.inbox, manifestName)}`),
        }),
      }),
    ]);

    // The operator fixes the directory and replays the dead letter.
    await chmod(harness.inbox, 0o777);
    expect(await handler.handle(file, contextFor(logs, { messageId: 'replay' }))).toEqual({ kind: 'ack' });

    expect(transfer.fileNames).toEqual([file.fileName, manifestName, manifestName]);
    expect((await readdir(harness.inbox)).sort()).toEqual([file.fileName, manifestName]);
    expect(JSON.parse(await readFile(inboxFile(manifestName), 'utf8')).files[0].sha256).toBe(file.sha256);
    expect(publishedEvents(publisher).map((event) => event.type)).toEqual([
      'upload.failed',
      'upload.delivered',
      'upload.duplicate',
    ]);
    expect(publishedEvents(publisher)[1]).toMatchObject({
      manifestPath: path.posix.join(harness.inbox, manifestName),
    });
  });

  it('never writes a second manifest: a redelivery writes nothing, an unrecorded one compares identical', async () => {
    const { handler, transfer, logs } = harness.setup({ sftp: { manifest: { format: 'json' } } });
    const file = await harness.stage(csv);
    const manifestName = `${file.fileName}.manifest.json`;
    expect(await handler.handle(file, contextFor(logs))).toEqual({ kind: 'ack' });
    const written = await readFile(inboxFile(manifestName));
    const writtenAt = (await stat(inboxFile(manifestName))).mtimeMs;

    expect(await handler.handle(file, contextFor(logs, { messageId: '2' }))).toEqual({ kind: 'ack' });
    expect(transfer.fileNames).toEqual([file.fileName, manifestName]);

    // An attempt that died after renaming the manifest, before recording it.
    const record = `${ledgerPrefix()}/${file.fileName}/${file.sha256}.manifest.json`;
    await harness.storage.bucket(stagingBucket).file(record).delete();
    expect(await handler.handle(file, contextFor(logs, { messageId: '3' }))).toEqual({ kind: 'ack' });

    expect(transfer.fileNames).toEqual([file.fileName, manifestName, manifestName]);
    expect((await readdir(harness.inbox)).sort()).toEqual([file.fileName, manifestName]);
    expect(await readFile(inboxFile(manifestName))).toEqual(written);
    expect((await stat(inboxFile(manifestName))).mtimeMs).toBe(writtenAt);
    const [stored] = await harness.storage.bucket(stagingBucket).file(record).download();
    expect(JSON.parse(stored.toString('utf8'))).toMatchObject({
      kind: 'manifest',
      outcome: 'skipped-identical',
    });
  });

  it('refuses to replace a different file at the manifest name', async () => {
    const { handler, logs } = harness.setup({ sftp: { manifest: { format: 'ok' } } });
    const file = await harness.stage(csv);
    await writeFile(inboxFile(`${file.fileName}.ok`), 'not ours\n');

    expect(await handler.handle(file, contextFor(logs))).toMatchObject({
      kind: 'deadLetter',
      code: 'SFTP_TARGET_EXISTS',
    });
    expect(await readFile(inboxFile(`${file.fileName}.ok`), 'utf8')).toBe('not ours\n');
  });

  it.each([
    [
      "a name that meets the file's temporary name for this file",
      { temp_name: '{name}a', manifest: { format: 'done', name: 'a{file}' } },
      'aa',
      "the manifest name renders as the data file's temporary name",
    ],
    [
      'a rendered name over 255 bytes',
      { manifest: { format: 'json' } },
      `${'n'.repeat(240)}.csv`,
      'expected at most 255 bytes',
    ],
  ])('dead-letters %s before uploading anything', async (_what, sftp, fileName, expected) => {
    const { handler, transfer, publisher, logs } = harness.setup({ sftp });
    const file = await harness.stage(csv, { fileName });

    const outcome = await handler.handle(file, contextFor(logs));

    expect(outcome).toMatchObject({ kind: 'deadLetter', code: 'MANIFEST_NAME_INVALID' });
    expect(outcome.kind === 'deadLetter' && outcome.reason).toContain(expected);
    expect(transfer.uploads).toBe(0);
    expect(await readdir(harness.inbox)).toEqual([]);
    expect(publishedEvents(publisher)[0]).toMatchObject({
      type: 'upload.failed',
      error: { code: 'MANIFEST_NAME_INVALID', retryable: false },
    });
  });

  it('describes an encrypted file as delivered, and is not encrypted itself', async () => {
    const { publicKey } = await generateKey({
      type: 'curve25519',
      userIDs: [{ name: 'partner', email: 'partner@example.test' }],
      format: 'armored',
    });
    const { handler, logs } = harness.setup({
      partner: {
        pgp: { recipients: [{ public_key: publicKey }], file_suffix: '.pgp' },
        manifest: { format: 'json' },
      },
    });
    const file = await harness.stage(csv, { destination: 'partner' });

    expect(await handler.handle(file, contextFor(logs))).toEqual({ kind: 'ack' });

    const encrypted = await readFile(inboxFile(`${file.fileName}.pgp`));
    const manifest = JSON.parse(await readFile(inboxFile(`${file.fileName}.pgp.manifest.json`), 'utf8'));
    expect(manifest.files).toEqual([
      expect.objectContaining({
        name: `${file.fileName}.pgp`,
        size_bytes: encrypted.length,
        sha256: sha256Of(encrypted),
        rows: file.rowCount,
      }),
    ]);
  });
});
