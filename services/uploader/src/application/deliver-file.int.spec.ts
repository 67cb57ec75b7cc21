import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';

import { GcsBlobStore } from '@bq-sftp-export/cloud';
import { RecordingPublisher } from '@bq-sftp-export/cloud/testing';
import type { FileReady } from '@bq-sftp-export/contracts';
import { clientOptions, startLocalGcs, type LocalGcs } from '@bq-sftp-export/local-gcs';
import { createLogger, LogCapture } from '@bq-sftp-export/runtime';
import {
  generateSshKey,
  startOpenSshServer,
  type OpenSshServer,
  type SshKeyPair,
} from '@bq-sftp-export/testing';
import { Storage } from '@google-cloud/storage';

import { SftpFileTransfer } from '../adapters/sftp/sftp-file-transfer.adapter.js';
import type { FileTransfer, FileTransferRequest } from './file-transfer.js';
import {
  buildHandler,
  contextFor,
  fileReadyFor,
  MapConfigSource,
  publishedEvents,
  resendOf,
  sha256Of,
  stagedRef,
  stagingBucket,
  testConfigText,
} from './testing/deliver-file-kit.js';

const passphrase = 'correct horse battery staple';

/** Counts the uploads that reach the real adapter. */
class CountingTransfer implements FileTransfer {
  uploads = 0;
  constructor(private readonly inner: FileTransfer) {}
  upload(request: FileTransferRequest) {
    this.uploads += 1;
    return this.inner.upload(request);
  }
}

describe('DeliverFileHandler with the local Cloud Storage and a real OpenSSH server', () => {
  let server: OpenSshServer;
  let gcs: LocalGcs;
  let storage: Storage;
  let key: SshKeyPair;
  let inbox: string;
  let seq = 0;

  beforeAll(async () => {
    key = await generateSshKey({ type: 'ed25519', passphrase });
    [server, gcs] = await Promise.all([
      startOpenSshServer({ authorizedKeys: [key.publicKey] }),
      startLocalGcs(),
    ]);
    storage = new Storage(clientOptions(gcs.endpoint));
    await storage.createBucket(stagingBucket);
  });
  afterAll(async () => {
    await server?.stop();
    await gcs?.stop();
  });
  beforeEach(async () => {
    seq += 1;
    inbox = path.join(server.root, `inbox${seq}`);
    await mkdir(inbox);
    await chmod(inbox, 0o777);
  });

  function setup(options: { maxDeliveryAttempts?: number; partner?: Record<string, unknown> } = {}) {
    const { partner, ...handlerOptions } = options;
    const logs = new LogCapture();
    const logger = createLogger({ level: 'debug', name: 'uploader-int', destination: logs });
    const transfer = new CountingTransfer(new SftpFileTransfer(logger));
    const publisher = new RecordingPublisher();
    const { handler, logs: handlerLogs } = buildHandler({
      blobs: new GcsBlobStore(storage),
      publisher,
      ...handlerOptions,
      transfer,
      configs: new MapConfigSource({
        default: testConfigText(
          {
            port: server.port,
            username: server.username,
            host_key_fingerprints: [server.hostKeyFingerprint],
            path: server.root,
            ...partner,
          },
          server.root,
        ),
      }),
      env: {
        SFTP_HOST: server.host,
        SFTP_PORT: String(server.port),
        SFTP_USERNAME: server.username,
        SFTP_PASSWORD: server.password ?? '',
        SFTP_HOST_KEY_FINGERPRINTS: server.hostKeyFingerprint,
        PARTNER_KEY: key.privateKey,
        PARTNER_PASSPHRASE: passphrase,
      },
    });
    return { handler, transfer, publisher, logs: handlerLogs, adapterLogs: logs };
  }

  /** Stages `content` in the local Cloud Storage and describes it, delivered into this test's inbox. */
  async function stage(content: Buffer | string, overrides: Partial<FileReady> = {}): Promise<FileReady> {
    const fileName = overrides.fileName ?? `FILE_${seq}.csv`;
    const ref = stagedRef(overrides.runId ?? `run-${seq}`, fileName);
    const file = storage.bucket(ref.bucket).file(ref.name);
    await file.save(content, { resumable: false });
    const [metadata] = await file.getMetadata();
    return fileReadyFor(ref, String(metadata.generation), content, {
      runId: `run-${seq}`,
      fileName,
      remoteDirectory: inbox,
      ...overrides,
    });
  }

  /** This test's ledger records (each test delivers its own run). */
  function ledgerRecords(): string[] {
    return gcs
      .listObjects(stagingBucket)
      .map((object) => object.name)
      .filter((name) => name.startsWith(`ledger/default/shopify_customers/run-${seq}/`))
      .filter((name) => !name.endsWith('.claim.json'));
  }

  it('delivers with password auth: the final file, no temporary file, a ledger record, upload.delivered', async () => {
    const { handler, publisher, logs } = setup();
    const content = 'id,email\n1,a@example.com\n'.repeat(1000);
    const file = await stage(content);

    expect(await handler.handle(file, contextFor(logs))).toEqual({ kind: 'ack' });

    expect(await readdir(inbox)).toEqual([file.fileName]);
    expect(sha256Of(await readFile(path.join(inbox, file.fileName)))).toBe(file.sha256);
    expect(ledgerRecords()).toEqual([
      `ledger/default/shopify_customers/${file.runId}/${file.fileName}/${file.sha256}.json`,
    ]);
    expect(publishedEvents(publisher)).toEqual([
      expect.objectContaining({
        type: 'upload.delivered',
        remotePath: path.posix.join(inbox, file.fileName),
        byteSize: file.byteSize,
        sha256: file.sha256,
        attempt: 1,
      }),
    ]);
    expect(logs.text()).not.toContain(server.password ?? 'no password');
  });

  it('delivers with an encrypted private key to a named destination', async () => {
    const { handler, publisher, logs } = setup();
    const file = await stage('id\n42\n', { destination: 'partner' });

    expect(await handler.handle(file, contextFor(logs))).toEqual({ kind: 'ack' });

    expect(await readFile(path.join(inbox, file.fileName), 'utf8')).toBe('id\n42\n');
    expect(publishedEvents(publisher)[0]).toMatchObject({ type: 'upload.delivered', destination: 'partner' });
    expect(logs.text()).not.toContain(passphrase);
    expect(logs.text()).not.toContain('PRIVATE KEY');
  });

  it("gives the delivered file the destination's file_mode, and 0600 when the config names none", async () => {
    const { handler, logs } = setup({ partner: { file_mode: '0640' } });
    const shared = await stage('id\n7\n', { destination: 'partner', fileName: `SHARED_${seq}.csv` });
    const private_ = await stage('id\n8\n', { fileName: `PRIVATE_${seq}.csv` });

    expect(await handler.handle(shared, contextFor(logs))).toEqual({ kind: 'ack' });
    expect(await handler.handle(private_, contextFor(logs))).toEqual({ kind: 'ack' });

    expect((await stat(path.join(inbox, shared.fileName))).mode & 0o7777).toBe(0o640);
    expect((await stat(path.join(inbox, private_.fileName))).mode & 0o7777).toBe(0o600);
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
    expect(await readdir(inbox)).toEqual([file.fileName]);
  });

  it('uploads a resend again and records it as a resend', async () => {
    const { handler, transfer, publisher, logs } = setup();
    const file = await stage('id\n9\n');
    await handler.handle(file, contextFor(logs));
    await rm(path.join(inbox, file.fileName)); // the partner picked it up

    expect(await handler.handle(resendOf(file, 'resend-1'), contextFor(logs))).toEqual({ kind: 'ack' });

    expect(transfer.uploads).toBe(2);
    expect(await readFile(path.join(inbox, file.fileName), 'utf8')).toBe('id\n9\n');
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
    await server.halt();
    let outcome;
    try {
      outcome = await handler.handle(file, contextFor(logs, { deliveryAttempt: 1 }));
    } finally {
      await server.restart();
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
    expect(await readdir(inbox)).toEqual([file.fileName]);
  });

  it('reports the last failed attempt as final; the replayed dead letter delivers exactly once', async () => {
    const { handler, transfer, publisher, logs } = setup({ maxDeliveryAttempts: 2 });
    const file = await stage('id\n6\n');
    await server.halt();
    const outcomes = [];
    try {
      for (const deliveryAttempt of [1, 2]) {
        outcomes.push(await handler.handle(file, contextFor(logs, { deliveryAttempt })));
      }
    } finally {
      await server.restart();
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
    expect(await readdir(inbox)).toEqual([file.fileName]);
    expect(ledgerRecords()).toHaveLength(1);
  });

  it('dead-letters a file whose staged generation was replaced, without touching the server', async () => {
    const { handler, transfer, logs } = setup();
    const file = await stage('id\n1\n');
    await storage.bucket(stagingBucket).file(stagedRef(file.runId, file.fileName).name).save('id\n2\n');

    expect(await handler.handle(file, contextFor(logs))).toMatchObject({
      kind: 'deadLetter',
      code: 'STAGED_OBJECT_MISSING',
    });
    expect(transfer.uploads).toBe(0);
    expect(existsSync(path.join(inbox, file.fileName))).toBe(false);
  });
});
