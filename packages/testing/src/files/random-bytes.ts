import { randomFill } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';

const fillRandom = promisify(randomFill);
const blockSize = 1024 * 1024;

/**
 * A stream of `size` random bytes, generated block by block as the consumer reads (backpressure
 * respected, never more than one block in memory). `blockBytes` sets the size of the chunks it
 * emits (default 1 MiB), so tests can mimic a source with small chunks.
 */
export function randomBytesStream(size: number, options: { blockBytes?: number } = {}): Readable {
  const block = options.blockBytes ?? blockSize;
  let remaining = size;
  return new Readable({
    highWaterMark: block,
    read() {
      if (remaining <= 0) {
        this.push(null);
        return;
      }
      const length = Math.min(block, remaining);
      remaining -= length;
      fillRandom(Buffer.allocUnsafe(length)).then(
        (chunk) => this.push(chunk),
        (error: unknown) => this.destroy(error as Error),
      );
    },
  });
}

/** Writes `size` random bytes to `path`, streamed (flat memory whatever the size). */
export async function randomBytesFile(path: string, size: number): Promise<void> {
  await pipeline(randomBytesStream(size), createWriteStream(path));
}
