import { describe, expect, it } from '@jest/globals';

import { InMemoryBlobStore, RecordingPublisher } from '@bq-sftp-export/cloud/testing';
import { parseEnvironment } from '@bq-sftp-export/config';
import { LogCapture, runtimeModule } from '@bq-sftp-export/runtime';
import { Container } from 'inversify';

import { PgpFileTransfer } from './adapters/pgp/pgp-file-transfer.js';
import { DeliverFileHandler } from './application/deliver-file.handler.js';
import { FileTransfer } from './application/file-transfer.js';
import {
  contextFor,
  MapConfigSource,
  stageFile,
  stagingBucket,
  testConfigText,
} from './application/testing/deliver-file-kit.js';
import { FakeFileTransfer } from './application/testing/fake-file-transfer.js';
import { uploaderModule } from './uploader.module.js';

function container(blobs = new InMemoryBlobStore(), publisher = new RecordingPublisher()): Container {
  const result = new Container();
  result.load(
    runtimeModule({
      logger: { level: 'silent' as 'info', name: 'uploader-test', destination: new LogCapture() },
    }),
    uploaderModule({
      environment: parseEnvironment({
        SFTP_HOST: '127.0.0.1',
        SFTP_USERNAME: 'u',
        SFTP_PASSWORD: 'p',
        STAGING_BUCKET: stagingBucket,
      }),
      configSource: new MapConfigSource({ default: testConfigText() }),
      blobStore: blobs,
      publisher,
    }),
  );
  return result;
}

describe('uploaderModule', () => {
  it('resolves the handler, with the SFTP adapter behind the PGP hook as its file transfer', () => {
    const resolved = container();
    expect(resolved.get(DeliverFileHandler)).toBeInstanceOf(DeliverFileHandler);
    expect(resolved.get(FileTransfer)).toBeInstanceOf(PgpFileTransfer);
    expect(resolved.get(DeliverFileHandler)).toBe(resolved.get(DeliverFileHandler));
  });

  it('wires a handler that delivers when only the outer edge is replaced', async () => {
    const blobs = new InMemoryBlobStore();
    const publisher = new RecordingPublisher();
    const resolved = container(blobs, publisher);
    const transfer = new FakeFileTransfer();
    resolved.rebind(FileTransfer).toConstantValue(transfer);

    const file = stageFile(blobs, 'id\n1\n');
    const outcome = await resolved.get(DeliverFileHandler).handle(file, contextFor(new LogCapture()));

    expect(outcome).toEqual({ kind: 'ack' });
    expect(transfer.files.size).toBe(1);
    expect(publisher.on('export-events')).toHaveLength(1);
  });
});
