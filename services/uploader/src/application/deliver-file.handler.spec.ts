import { describe, expect, it } from '@jest/globals';

import { formatGcsUri } from '@bq-sftp-export/cloud';
import { InMemoryBlobStore, RecordingPublisher } from '@bq-sftp-export/cloud/testing';
import { AppError } from '@bq-sftp-export/runtime';

import { ledgerKeyOf, ledgerObjectNames } from '../domain/ledger-key.js';
import {
  buildHandler,
  contextFor,
  MapConfigSource,
  publishedEvents,
  resendOf,
  stageFile,
  stagingBucket,
  testConfigText,
  type HandlerSetup,
} from './testing/deliver-file-kit.js';
import { FakeFileTransfer } from './testing/fake-file-transfer.js';

const content = 'id,email\n1,a@example.com\n2,b@example.com\n';

function setup(overrides: Partial<HandlerSetup> = {}) {
  const blobs = new InMemoryBlobStore();
  const publisher = new RecordingPublisher();
  const transfer = new FakeFileTransfer();
  const { handler, logs } = buildHandler({ blobs, publisher, transfer, ...overrides });
  const file = stageFile(blobs, content);
  const names = ledgerObjectNames(ledgerKeyOf(file));
  const events = () => publishedEvents(publisher);
  const ledgerObjects = () => blobs.names().filter((name) => name.includes('/ledger/'));
  return { blobs, publisher, transfer, handler, logs, file, names, events, ledgerObjects };
}

function networkError(): AppError {
  return new AppError('connect to 127.0.0.1:22: ECONNREFUSED', { code: 'SFTP_NETWORK', retryable: true });
}

describe('DeliverFileHandler', () => {
  it('uploads, records the delivery in the ledger, publishes upload.delivered, then acks', async () => {
    const { blobs, transfer, handler, logs, file, names, events } = setup();

    const outcome = await handler.handle(file, contextFor(logs, { deliveryAttempt: 2 }));

    expect(outcome).toEqual({ kind: 'ack' });
    expect(transfer.files.get('/To_Verite/SHOPIFYCUSTOMERDATA_20261126_050000.csv')?.toString()).toBe(
      content,
    );
    expect(transfer.requests[0]).toMatchObject({ expectedBytes: file.byteSize, expectedSha256: file.sha256 });
    expect(transfer.requests[0]?.destination).toMatchObject({
      host: '127.0.0.1',
      port: 22,
      username: 'verite',
      auth: { type: 'password', password: 'pw-secret-1' },
      path: '/To_Verite',
      collisionPolicy: 'skip-if-identical',
      createDirectory: true,
    });
    const stored = await blobs.readJson({ bucket: stagingBucket, name: names.delivery });
    expect(stored?.value).toMatchObject({
      schemaVersion: 1,
      kind: 'delivery',
      outcome: 'uploaded',
      delivered: { type: 'upload.delivered', fileEventId: file.eventId, attempt: 2 },
    });
    const published = events();
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({
      type: 'upload.delivered',
      runId: file.runId,
      remotePath: '/To_Verite/SHOPIFYCUSTOMERDATA_20261126_050000.csv',
      byteSize: file.byteSize,
      sha256: file.sha256,
      attempt: 2,
      fileEventId: file.eventId,
    });
    expect(published[0]?.type === 'upload.delivered' && published[0].durationMs).toBeGreaterThan(0);
    expect(published[0]).toEqual((stored?.value as { delivered: unknown }).delivered);
    expect(logs.text()).not.toContain('pw-secret-1');
  });

  it('releases its claim after delivering', async () => {
    const { blobs, handler, logs, file, names } = setup();
    await handler.handle(file, contextFor(logs));
    const claim = await blobs.readJson({ bucket: stagingBucket, name: names.claim });
    expect(Date.parse((claim?.value as { expiresAt: string }).expiresAt)).toBeLessThan(
      Date.parse('2026-11-26T06:00:00Z'),
    );
    // A new claim can be taken at once: a resend does not wait for the claim to expire.
    const second = await handler.handle(resendOf(file, 'resend-1'), contextFor(logs));
    expect(second).toEqual({ kind: 'ack' });
  });

  it('acknowledges a file already delivered without uploading, republishing the delivery and a duplicate', async () => {
    const { transfer, handler, logs, file, events, ledgerObjects } = setup();
    await handler.handle(file, contextFor(logs));

    const outcome = await handler.handle(file, contextFor(logs, { deliveryAttempt: 1, messageId: '2' }));

    expect(outcome).toEqual({ kind: 'ack' });
    expect(transfer.requests).toHaveLength(1);
    expect(ledgerObjects().filter((name) => !name.endsWith('.claim.json'))).toHaveLength(1);
    const [delivered, republished, duplicate] = events();
    expect(republished).toEqual(delivered);
    expect(duplicate).toMatchObject({
      type: 'upload.duplicate',
      fileEventId: file.eventId,
      remotePath: '/To_Verite/SHOPIFYCUSTOMERDATA_20261126_050000.csv',
      original: { runId: file.runId, deliveredAt: delivered?.occurredAt },
    });
  });

  it('lets only one of two concurrent deliveries of one file upload; the other retries, then sees the delivery', async () => {
    const { transfer, handler, logs, file, events, ledgerObjects } = setup();
    let open!: () => void;
    transfer.holdUntil(new Promise<void>((resolve) => (open = resolve)));

    const first = handler.handle(file, contextFor(logs, { messageId: 'a' }));
    const second = handler.handle(file, contextFor(logs, { messageId: 'b' }));
    const secondOutcome = await second;
    open();
    expect(await first).toEqual({ kind: 'ack' });
    expect(secondOutcome).toEqual({ kind: 'retry', reason: 'another delivery of this file is in progress' });

    expect(await handler.handle(file, contextFor(logs, { messageId: 'b', deliveryAttempt: 2 }))).toEqual({
      kind: 'ack',
    });
    expect(transfer.requests).toHaveLength(1);
    expect(ledgerObjects().filter((name) => !name.endsWith('.claim.json'))).toHaveLength(1);
    expect(events().map((event) => event.type)).toEqual([
      'upload.delivered',
      'upload.delivered',
      'upload.duplicate',
    ]);
  });

  it('uploads a resend again and records it under its resendId; a redelivered resend is a duplicate', async () => {
    const { blobs, transfer, handler, logs, file, names, events } = setup();
    await handler.handle(file, contextFor(logs));
    transfer.files.clear(); // the partner picked the file up

    const resend = resendOf(file, 'resend-42');
    expect(await handler.handle(resend, contextFor(logs))).toEqual({ kind: 'ack' });
    expect(await handler.handle(resend, contextFor(logs))).toEqual({ kind: 'ack' });

    expect(transfer.requests).toHaveLength(2);
    expect(transfer.files.size).toBe(1);
    const record = await blobs.readJson({ bucket: stagingBucket, name: names.resend('resend-42') });
    expect(names.resend('resend-42')).toBe(
      `ledger/default/shopify_customers/${file.runId}/${file.fileName}/${file.sha256}/resends/resend-42.json`,
    );
    expect(record?.value).toMatchObject({ kind: 'resend', delivered: { resendId: 'resend-42' } });
    const types = events().map((event) => [event.type, 'resendId' in event ? event.resendId : undefined]);
    expect(types).toEqual([
      ['upload.delivered', undefined],
      ['upload.delivered', 'resend-42'],
      ['upload.delivered', 'resend-42'],
      ['upload.duplicate', undefined],
    ]);
    const delivered = events().filter((event) => event.type === 'upload.delivered');
    expect(new Set(delivered.map((event) => event.eventId)).size).toBe(2);
  });

  it('retries a retryable failure and reports it as retryable', async () => {
    const { transfer, handler, logs, file, events, ledgerObjects } = setup();
    transfer.failNext(networkError());

    const outcome = await handler.handle(file, contextFor(logs, { deliveryAttempt: 3 }));

    expect(outcome).toEqual({ kind: 'retry', reason: 'connect to 127.0.0.1:22: ECONNREFUSED' });
    expect(events()).toEqual([
      expect.objectContaining({
        type: 'upload.failed',
        attempt: 3,
        error: { code: 'SFTP_NETWORK', message: 'connect to 127.0.0.1:22: ECONNREFUSED', retryable: true },
        final: false,
      }),
    ]);
    expect(ledgerObjects().filter((name) => !name.endsWith('.claim.json'))).toEqual([]);
    expect(await handler.handle(file, contextFor(logs, { deliveryAttempt: 4 }))).toEqual({ kind: 'ack' });
  });

  it('reports the last attempt as final but still nacks, so Pub/Sub dead-letters it', async () => {
    const { transfer, handler, logs, file, events } = setup({ maxDeliveryAttempts: 5 });
    transfer.failNext(networkError());

    const outcome = await handler.handle(file, contextFor(logs, { deliveryAttempt: 5 }));

    expect(outcome.kind).toBe('retry');
    expect(events()[0]).toMatchObject({
      type: 'upload.failed',
      attempt: 5,
      error: { code: 'SFTP_NETWORK', retryable: false },
      final: true,
    });
  });

  it.each([
    ['SFTP_HOST_KEY_MISMATCH', false],
    ['SFTP_AUTH_FAILED', false],
    ['SFTP_SOURCE_CHECKSUM_MISMATCH', false],
    ['SFTP_SOURCE_SIZE_MISMATCH', true],
  ])('dead-letters a permanent failure (%s) after reporting it', async (code, markedRetryable) => {
    const { transfer, handler, logs, file, events } = setup();
    transfer.failNext(new AppError(`it failed: ${code}`, { code, retryable: markedRetryable }));

    const outcome = await handler.handle(file, contextFor(logs));

    expect(outcome).toEqual({ kind: 'deadLetter', code, reason: `it failed: ${code}` });
    expect(events()).toEqual([
      expect.objectContaining({
        type: 'upload.failed',
        attempt: 1,
        error: expect.objectContaining({ code, retryable: false }),
        final: true,
      }),
    ]);
  });

  it('dead-letters a file whose staged object is gone, without connecting', async () => {
    const { transfer, handler, logs, file } = setup();
    const outcome = await handler.handle(
      { ...file, gcs: { ...file.gcs, generation: '1' } },
      contextFor(logs),
    );
    expect(outcome).toMatchObject({ kind: 'deadLetter', code: 'STAGED_OBJECT_MISSING' });
    expect(transfer.requests).toHaveLength(0);
  });

  it('refuses a gcs.uri outside the staging prefix of its config and export, reading nothing, without connecting', async () => {
    const { blobs, transfer, handler, logs, file, names } = setup();
    await handler.handle(file, contextFor(logs)); // a ledger record now exists to point at
    const readable = [
      { bucket: stagingBucket, name: names.delivery },
      { bucket: stagingBucket, name: 'checkpoints/default/shopify_customers.json' },
      { bucket: stagingBucket, name: 'exports/other/shopify_customers/run-1/x.csv' },
      { bucket: stagingBucket, name: 'exports/default/another_export/run-1/x.csv' },
      { bucket: stagingBucket, name: 'exports/default/shopify_customers' },
      { bucket: 'bqx-other-bucket', name: 'exports/default/shopify_customers/run-1/x.csv' },
    ];
    transfer.requests.length = 0;
    for (const ref of readable) {
      const generation = blobs.put(ref, 'secret,data\n').generation;
      const forged = {
        ...file,
        runId: 'run-forged',
        gcs: { ...file.gcs, uri: formatGcsUri(ref), generation },
      };
      const outcome = await handler.handle(forged, contextFor(logs));
      expect(outcome).toMatchObject({ kind: 'deadLetter', code: 'STAGED_OBJECT_OUTSIDE_STAGING' });
      expect(outcome).toMatchObject({
        reason: expect.stringContaining(
          `expected under gs://${stagingBucket}/exports/default/shopify_customers/`,
        ),
      });
    }
    expect(transfer.requests).toHaveLength(0);
  });

  it('refuses every file when neither the config nor STAGING_BUCKET names the staging bucket', async () => {
    const { transfer, handler, logs, file } = setup({ env: { STAGING_BUCKET: '' } });
    expect(await handler.handle(file, contextFor(logs))).toMatchObject({
      kind: 'deadLetter',
      code: 'STAGING_BUCKET_MISSING',
    });
    expect(transfer.requests).toHaveLength(0);
  });

  it("dead-letters a file for a directory outside the destination's path, without connecting", async () => {
    const { transfer, handler, logs, file } = setup();
    const outcome = await handler.handle({ ...file, remoteDirectory: '/elsewhere' }, contextFor(logs));
    expect(outcome).toMatchObject({
      kind: 'deadLetter',
      code: 'DESTINATION_MISMATCH',
      reason: 'file.ready: remoteDirectory is outside the path of destination "default"',
    });
    expect(transfer.requests).toHaveLength(0);
  });

  it('dead-letters files of a missing config or a destination without its secrets', async () => {
    const missingConfig = setup({ configs: new MapConfigSource({}) });
    expect(
      await missingConfig.handler.handle(missingConfig.file, contextFor(missingConfig.logs)),
    ).toMatchObject({
      kind: 'deadLetter',
      code: 'CONFIG_NOT_FOUND',
    });
    // Not only a dead letter: the tracker records and announces the refusal.
    expect(missingConfig.events()).toEqual([
      expect.objectContaining({
        type: 'upload.failed',
        error: expect.objectContaining({ code: 'CONFIG_NOT_FOUND', retryable: false }),
      }),
    ]);
    const noKey = setup();
    expect(
      await noKey.handler.handle({ ...noKey.file, destination: 'partner' }, contextFor(noKey.logs)),
    ).toMatchObject({ kind: 'deadLetter', code: 'SECRETS_MISSING' });
    expect(noKey.events()[0]).toMatchObject({
      type: 'upload.failed',
      error: { code: 'SECRETS_MISSING', retryable: false },
    });
  });

  it('reads a config once for a burst of files', async () => {
    const configs = new MapConfigSource({ default: testConfigText() });
    const { blobs, handler, logs } = setup({ configs });
    for (const name of ['A.csv', 'B.csv', 'C.csv']) {
      const file = stageFile(blobs, `${name}\n`, { fileName: name });
      expect(await handler.handle(file, contextFor(logs))).toEqual({ kind: 'ack' });
    }
    expect(configs.reads).toEqual(['default']);
  });

  it('abandons the upload on shutdown: retry, no failure reported', async () => {
    const { transfer, handler, logs, file, events } = setup();
    const shutdown = new AbortController();
    let open!: () => void;
    transfer.holdUntil(new Promise<void>((resolve) => (open = resolve)));

    const outcome = handler.handle(file, contextFor(logs, { signal: shutdown.signal }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    shutdown.abort();
    open();

    expect(await outcome).toEqual({ kind: 'retry', reason: 'the service is shutting down' });
    expect(events()).toEqual([]);
    expect(transfer.files.size).toBe(0);
  });

  it('republishes the recorded delivery when the first publish was lost', async () => {
    const { publisher, handler, logs, file, events } = setup();
    publisher.failNext(new Error('Pub/Sub unavailable'));

    expect((await handler.handle(file, contextFor(logs))).kind).toBe('retry');
    expect(await handler.handle(file, contextFor(logs, { deliveryAttempt: 2 }))).toEqual({ kind: 'ack' });

    const types = events().map((event) => event.type);
    expect(types).toEqual(['upload.failed', 'upload.delivered', 'upload.duplicate']);
  });

  it('dead-letters a file whose ledger record is unreadable rather than guessing', async () => {
    const { blobs, transfer, handler, logs, file, names } = setup();
    await blobs.writeJson({ bucket: stagingBucket, name: names.delivery }, { nonsense: true }, '0');
    expect(await handler.handle(file, contextFor(logs))).toMatchObject({
      kind: 'deadLetter',
      code: 'LEDGER_ENTRY_INVALID',
    });
    expect(transfer.requests).toHaveLength(0);
  });
});
