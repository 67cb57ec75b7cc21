import { loadPgpKeys } from '@bq-sftp-export/pgp';

import type { FileTransfer } from '../../application/file-transfer.js';
import { type FileTransferRequest, type FileTransferResult } from '../../application/file-transfer.js';
import { encryptedStream, PlaintextCheck } from './pgp-encrypt.js';

/**
 * The one place deliveries are encrypted: a `FileTransfer` around the SFTP one. A destination
 * with `encryption` gets its keys checked (`PGP_KEY_INVALID`, permanent), the staged bytes
 * verified against the event's size and sha256 as they enter the encryption, and the OpenPGP
 * message uploaded under `fileName + fileSuffix` through the inner transfer — so it is written to
 * the temporary name and renamed only when complete, like any file. Any failure (bad key,
 * plaintext mismatch, encryption error) fails the upload before the rename; the partner sees
 * nothing. Destinations without `encryption` pass straight through.
 *
 * The result's `bytes` and `sha256` are the ciphertext's (what is on the server). The ciphertext
 * is new on every attempt (a fresh session key), so a final name already holding an earlier
 * attempt's file never compares identical: that delivery fails with `SFTP_TARGET_EXISTS`.
 */
export class PgpFileTransfer implements FileTransfer {
  constructor(private readonly inner: FileTransfer) {}

  async upload(request: FileTransferRequest): Promise<FileTransferResult> {
    const { encryption } = request.destination;
    if (encryption === undefined) return this.inner.upload(request);
    const { source } = request;
    const check = new PlaintextCheck({
      ...(request.expectedBytes === undefined ? {} : { bytes: request.expectedBytes }),
      ...(request.expectedSha256 === undefined ? {} : { sha256: request.expectedSha256 }),
    });
    try {
      const keys = await loadPgpKeys(encryption);
      source.on('error', (error) => check.destroy(error));
      const ciphertext = await encryptedStream(source.pipe(check), keys, encryption.armor);
      const { expectedBytes: _bytes, expectedSha256: _sha256, ...rest } = request;
      return await this.inner.upload({
        ...rest,
        fileName: `${request.fileName}${encryption.fileSuffix}`,
        source: ciphertext,
      });
    } catch (error) {
      // openpgp may rewrap the plaintext check's error on its way through the stream.
      throw check.failure ?? error;
    } finally {
      if (!source.destroyed) source.destroy();
    }
  }
}
