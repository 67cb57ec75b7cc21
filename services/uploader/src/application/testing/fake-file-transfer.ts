import { createHash } from 'node:crypto';
import { posix } from 'node:path';

import { AppError } from '@bq-sftp-export/runtime';

import type { FileTransfer, FileTransferRequest, FileTransferResult } from '../file-transfer.js';

/**
 * A FileTransfer that reads the whole source into memory and "publishes" it in a map of remote
 * paths, checking size and hash like the real one. Tests script failures and pauses.
 */
export class FakeFileTransfer implements FileTransfer {
  readonly files = new Map<string, Buffer>();
  readonly requests: FileTransferRequest[] = [];
  private readonly failures: Error[] = [];
  private gate: Promise<void> | undefined;

  /** The next upload fails with `error` (after consuming the source). */
  failNext(error: Error): void {
    this.failures.push(error);
  }

  /** Uploads wait for `gate` before publishing (for concurrency tests). */
  holdUntil(gate: Promise<void>): void {
    this.gate = gate;
  }

  async upload(request: FileTransferRequest): Promise<FileTransferResult> {
    this.requests.push(request);
    const chunks: Buffer[] = [];
    for await (const chunk of request.source) chunks.push(chunk as Buffer);
    const content = Buffer.concat(chunks);
    await this.gate;
    request.signal?.throwIfAborted();
    const failure = this.failures.shift();
    if (failure !== undefined) throw failure;
    const sha256 = createHash('sha256').update(content).digest('hex');
    if (request.expectedSha256 !== undefined && sha256 !== request.expectedSha256) {
      throw new AppError('checksum mismatch', { code: 'SFTP_SOURCE_CHECKSUM_MISMATCH', retryable: false });
    }
    const remotePath = posix.join(request.destination.path, request.fileName);
    this.files.set(remotePath, content);
    return {
      outcome: 'uploaded',
      remotePath,
      bytes: content.length,
      sha256,
      hostKeyFingerprint: request.destination.hostKeyFingerprints[0] ?? 'SHA256:none',
    };
  }
}
