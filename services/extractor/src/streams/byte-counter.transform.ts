import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

/**
 * Passes bytes through unchanged, counting them and hashing them (sha256) on the way: the
 * figures `file.ready` carries for the final (encoded, compressed) bytes.
 */
export class ByteCounterTransform extends Transform {
  private readonly hash: Hash = createHash('sha256');
  private bytes = 0;
  private digest: string | undefined;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    this.hash.update(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    this.digest = this.hash.digest('hex');
    callback();
  }

  get byteSize(): number {
    return this.bytes;
  }

  /** Hex sha256 of every byte that passed; available once the stream has finished. */
  get sha256(): string {
    if (this.digest === undefined) throw new Error('sha256 is known only after the stream has finished');
    return this.digest;
  }
}
