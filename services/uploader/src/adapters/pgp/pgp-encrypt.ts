import { createHash } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

import type { PgpKeys } from '@bq-sftp-export/pgp';
import { AppError } from '@bq-sftp-export/runtime';
import { createMessage, encrypt } from 'openpgp';

/** What the plaintext must be; checked when it ends, so a mismatch fails before any rename. */
export interface PlaintextExpectation {
  readonly bytes?: number;
  readonly sha256?: string;
}

export const PGP_SOURCE_SIZE_MISMATCH = 'PGP_SOURCE_SIZE_MISMATCH';
export const PGP_SOURCE_CHECKSUM_MISMATCH = 'PGP_SOURCE_CHECKSUM_MISMATCH';

/**
 * Counts and hashes the plaintext on its way into the encryption. At its end a size or sha256
 * other than expected errors the stream (permanent: the staged generation cannot change), which
 * fails the ciphertext stream and so the upload, before the temporary file is renamed.
 */
export class PlaintextCheck extends Transform {
  bytes = 0;
  failure: AppError | undefined;
  readonly #hash = createHash('sha256');

  constructor(private readonly expected: PlaintextExpectation) {
    super();
  }

  override _transform(
    chunk: Buffer,
    _encoding: BufferEncoding,
    done: (error?: Error | null, data?: Buffer) => void,
  ) {
    this.bytes += chunk.length;
    this.#hash.update(chunk);
    done(null, chunk);
  }

  override _flush(done: (error?: Error | null) => void) {
    const sha256 = this.#hash.digest('hex');
    if (this.expected.bytes !== undefined && this.bytes !== this.expected.bytes) {
      this.failure = new AppError(`the source yielded ${this.bytes} bytes, ${this.expected.bytes} expected`, {
        code: PGP_SOURCE_SIZE_MISMATCH,
        retryable: false,
      });
    } else if (this.expected.sha256 !== undefined && sha256 !== this.expected.sha256) {
      this.failure = new AppError('the source content does not match the expected sha256', {
        code: PGP_SOURCE_CHECKSUM_MISMATCH,
        retryable: false,
      });
    }
    done(this.failure ?? null);
  }
}

/**
 * The OpenPGP message of `plaintext`, streamed: openpgp reads the Web stream as the SFTP writer
 * pulls ciphertext, so memory stays flat whatever the file size. Binary or armored output, one
 * session key encrypted to every recipient, optionally signed (one-pass signature).
 */
export async function encryptedStream(plaintext: Readable, keys: PgpKeys, armor: boolean): Promise<Readable> {
  const message = await createMessage({ binary: Readable.toWeb(plaintext) as ReadableStream<Uint8Array> });
  const encryptionKeys = [...keys.recipients];
  const output: unknown = armor
    ? await encrypt({
        message,
        encryptionKeys,
        ...(keys.signing === undefined ? {} : { signingKeys: keys.signing }),
        format: 'armored',
      })
    : await encrypt({
        message,
        encryptionKeys,
        ...(keys.signing === undefined ? {} : { signingKeys: keys.signing }),
        format: 'binary',
      });
  const chunks = Readable.fromWeb(output as WebReadableStream<Uint8Array | string>);
  // Armored output comes as strings; the SFTP writer takes bytes.
  return chunks.map((chunk: Uint8Array | string) =>
    typeof chunk === 'string'
      ? Buffer.from(chunk, 'utf8')
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength),
  );
}
