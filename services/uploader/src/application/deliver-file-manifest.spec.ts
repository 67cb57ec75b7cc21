import { describe, expect, it } from '@jest/globals';

import { InMemoryBlobStore, RecordingPublisher } from '@bq-sftp-export/cloud/testing';
import { AppError, createLogger, LogCapture } from '@bq-sftp-export/runtime';

import { ledgerKeyOf, ledgerObjectNames } from '../domain/ledger-key.js';
import { DeliveryLedger } from './delivery-ledger.js';
import type { FileTransfer, FileTransferRequest } from './file-transfer.js';
import {
  buildHandler,
  contextFor,
  MapConfigSource,
  publishedEvents,
  resendOf,
  stageFile,
  stagingBucket,
  steppingClock,
  testConfigText,
} from './testing/deliver-file-kit.js';
import { FakeFileTransfer } from './testing/fake-file-transfer.js';

const content = 'id,email\n1,a@example.com\n2,b@example.com\n';
const manifestPath = '/To_Verite/SHOPIFYCUSTOMERDATA_20261126_050000.csv.manifest.json';

/** The fake transfer, except that the first manifest upload fails as a lost connection would. */
class FirstManifestFails implements FileTransfer {
  failed = false;
  constructor(readonly inner: FakeFileTransfer) {}
  upload(request: FileTransferRequest) {
    if (this.failed || !request.fileName.endsWith('.manifest.json')) return this.inner.upload(request);
    this.failed = true;
    request.source.destroy();
    return Promise.reject(new AppError('connection lost', { code: 'SFTP_CONNECTION_LOST', retryable: true }));
  }
}

function setup(sftp: Record<string, unknown> = { manifest: { format: 'json' } }) {
  const blobs = new InMemoryBlobStore();
  const publisher = new RecordingPublisher();
  const fake = new FakeFileTransfer();
  const transfer = new FirstManifestFails(fake);
  const clock = steppingClock();
  const { handler, logs } = buildHandler({
    blobs,
    publisher,
    transfer,
    clock,
    configs: new MapConfigSource({ default: testConfigText({}, '/To_Verite', sftp) }),
  });
  const file = stageFile(blobs, content);
  const names = ledgerObjectNames(ledgerKeyOf(file));
  const uploaded = () => fake.requests.map((request) => request.fileName);
  return { blobs, publisher, fake, transfer, clock, handler, logs, file, names, uploaded };
}

describe('DeliverFileHandler with a destination manifest', () => {
  it('writes no manifest and names none without the config field', async () => {
    const { blobs, publisher, handler, logs, file, names, uploaded } = setup({});

    expect(await handler.handle(file, contextFor(logs))).toEqual({ kind: 'ack' });

    expect(uploaded()).toEqual([file.fileName]);
    const stored = await blobs.readJson({ bucket: stagingBucket, name: names.delivery });
    expect(stored?.value).not.toHaveProperty('manifest');
    expect(publishedEvents(publisher)[0]).not.toHaveProperty('manifestPath');
    expect(blobs.names().some((name) => name.endsWith('.manifest.json'))).toBe(false);
  });

  it('after a failed manifest, waits for a live claim, then writes only the manifest', async () => {
    const { blobs, publisher, clock, handler, logs, file, names, uploaded } = setup();

    expect(await handler.handle(file, contextFor(logs))).toMatchObject({ kind: 'retry' });
    expect(publishedEvents(publisher)).toEqual([
      expect.objectContaining({
        type: 'upload.failed',
        error: expect.objectContaining({
          code: 'SFTP_CONNECTION_LOST',
          message: `manifest ${manifestPath}: connection lost`,
          retryable: true,
        }),
      }),
    ]);
    const recorded = await blobs.readJson({ bucket: stagingBucket, name: names.delivery });
    expect(recorded?.value).toMatchObject({ manifest: { remotePath: manifestPath, format: 'json' } });

    // Another uploader holds the file's claim: the redelivery waits rather than race it.
    const other = new DeliveryLedger(
      blobs,
      clock,
      createLogger({ level: 'error', name: 'other', destination: new LogCapture() }),
    );
    const held = await other.claim(file, 'other-holder');
    expect(held).toBeDefined();
    expect(await handler.handle(file, contextFor(logs, { deliveryAttempt: 2 }))).toMatchObject({
      kind: 'retry',
    });
    expect(uploaded()).toEqual([file.fileName]);
    await held?.release();

    expect(await handler.handle(file, contextFor(logs, { deliveryAttempt: 3 }))).toEqual({ kind: 'ack' });
    expect(uploaded()).toEqual([file.fileName, `${file.fileName}.manifest.json`]);
    expect(await blobs.readJson({ bucket: stagingBucket, name: names.manifest })).toMatchObject({
      value: { kind: 'manifest', remotePath: manifestPath, format: 'json', outcome: 'uploaded' },
    });
    expect(publishedEvents(publisher).slice(1)).toEqual([
      expect.objectContaining({ type: 'upload.delivered', manifestPath }),
      expect.objectContaining({ type: 'upload.duplicate' }),
    ]);
  });

  it("records a resend's manifest under the resend", async () => {
    const { blobs, transfer, handler, logs, file, names, uploaded } = setup({ manifest: { format: 'done' } });
    transfer.failed = true;
    await handler.handle(file, contextFor(logs));

    expect(await handler.handle(resendOf(file, 'resend-1'), contextFor(logs))).toEqual({ kind: 'ack' });

    expect(uploaded()).toEqual([
      file.fileName,
      `${file.fileName}.done`,
      file.fileName,
      `${file.fileName}.done`,
    ]);
    const resent = await blobs.readJson({ bucket: stagingBucket, name: names.resendManifest('resend-1') });
    expect(resent?.value).toMatchObject({ kind: 'manifest', format: 'done' });
    expect(names.resendManifest('resend-1')).toMatch(/\/resends\/resend-1\/manifest\.json$/);
  });

  it('dead-letters a delivery whose manifest record is unreadable rather than guessing', async () => {
    const { blobs, transfer, handler, logs, file, names } = setup();
    transfer.failed = true;
    await handler.handle(file, contextFor(logs));
    blobs.put({ bucket: stagingBucket, name: names.manifest }, '{"kind": "manifest"}');

    expect(await handler.handle(file, contextFor(logs, { messageId: '2' }))).toMatchObject({
      kind: 'deadLetter',
      code: 'LEDGER_ENTRY_INVALID',
    });
  });
});
