import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

import { crc32c } from '@node-rs/crc32';

/** The checksums Cloud Storage reports for an object: base64 big-endian CRC32C and base64 MD5. */
export interface ObjectDigest {
  readonly size: number;
  readonly crc32c: string;
  readonly md5Hash: string;
}

/** Encodes a CRC32C value the way the JSON API does: four big-endian bytes, base64. */
export function encodeCrc32c(value: number): string {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value >>> 0);
  return bytes.toString('base64');
}

/** Computes CRC32C and MD5 incrementally, so bytes can stream through without being held. */
export class ObjectHasher {
  #crc = 0;
  #size = 0;
  readonly #md5: Hash = createHash('md5');

  update(chunk: Buffer): void {
    this.#crc = crc32c(chunk, this.#crc);
    this.#md5.update(chunk);
    this.#size += chunk.length;
  }

  get size(): number {
    return this.#size;
  }

  /** Final digest; the hasher must not be updated afterwards. */
  digest(): ObjectDigest {
    return { size: this.#size, crc32c: encodeCrc32c(this.#crc), md5Hash: this.#md5.digest('base64') };
  }

  /** A pass-through stream that feeds every chunk to this hasher. */
  tap(): Transform {
    return new Transform({
      transform: (chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) => {
        this.update(chunk);
        callback(null, chunk);
      },
    });
  }
}
