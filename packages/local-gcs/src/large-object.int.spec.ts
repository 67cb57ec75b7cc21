import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Storage } from '@google-cloud/storage';

import { clientOptions } from './client-options.js';
import { startLocalGcs, type LocalGcs } from './start-local-gcs.js';

const objectSize = 200 * 1024 * 1024;
const chunkSize = 1024 * 1024;
/** Far below the object size: what streaming must stay under, client and server together. */
const allowedGrowth = 96 * 1024 * 1024;

describe('a 200 MB object through the directory backend', () => {
  let directory: string;
  let gcs: LocalGcs;
  let storage: Storage;

  beforeAll(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'local-gcs-large-'));
    gcs = await startLocalGcs({ directory });
    storage = new Storage(clientOptions(gcs.endpoint));
  });

  afterAll(async () => {
    await gcs.stop();
    await rm(directory, { recursive: true, force: true });
  });

  it('streams a resumable upload and a download with flat memory and matching checksums', async () => {
    const [bucket] = await storage.createBucket('large');
    const file = bucket.file('exports/big.bin');
    const sent = createHash('md5');
    const received = createHash('md5');
    let receivedBytes = 0;
    const memory = new MemorySampler();

    memory.start();
    await pipeline(generatedSource(objectSize, sent), file.createWriteStream({ resumable: true }));
    await pipeline(
      file.createReadStream(),
      new Writable({
        write(chunk: Buffer, _encoding, callback) {
          received.update(chunk);
          receivedBytes += chunk.length;
          callback();
        },
      }),
    );
    const growth = memory.stop();

    const [metadata] = await file.getMetadata();
    expect(metadata.size).toBe(String(objectSize));
    expect(metadata.md5Hash).toBe(sent.digest('base64'));
    expect(receivedBytes).toBe(objectSize);
    expect(received.digest('base64')).toBe(metadata.md5Hash);
    console.log(`200 MB round trip: peak RSS growth ${(growth / 1024 / 1024).toFixed(1)} MiB`);
    expect(growth).toBeLessThan(allowedGrowth);
  }, 180_000);
});

/** Generates `size` bytes in fresh 1 MiB chunks (never one big buffer), hashing what it yields. */
function generatedSource(size: number, hash: ReturnType<typeof createHash>): Readable {
  return Readable.from(
    (function* generate() {
      for (let offset = 0; offset < size; offset += chunkSize) {
        const chunk = Buffer.allocUnsafe(Math.min(chunkSize, size - offset));
        for (let index = 0; index < chunk.length; index += 4)
          chunk.writeUInt32LE((offset + index) >>> 0, index);
        hash.update(chunk);
        yield chunk;
      }
    })(),
  );
}

/** Samples the process's resident set while a transfer runs; reports the peak above the start. */
class MemorySampler {
  #baseline = 0;
  #peak = 0;
  #timer: NodeJS.Timeout | undefined;

  start(): void {
    this.#baseline = process.memoryUsage.rss();
    this.#peak = this.#baseline;
    this.#timer = setInterval(() => {
      this.#peak = Math.max(this.#peak, process.memoryUsage.rss());
    }, 10);
  }

  stop(): number {
    clearInterval(this.#timer);
    this.#peak = Math.max(this.#peak, process.memoryUsage.rss());
    return this.#peak - this.#baseline;
  }
}
