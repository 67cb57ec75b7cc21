import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Storage } from '@google-cloud/storage';

import { clientOptions } from './client-options.js';
import { startLocalGcs, type LocalGcs } from './start-local-gcs.js';

const objectSize = 200 * 1024 * 1024;
const chunkSize = 1024 * 1024;
/** Far below the object size: what streaming may keep, client and server together. */
const allowedRetainedGrowth = 32 * 1024 * 1024;
/** RSS also holds garbage not yet collected; still well under the object's size. */
const allowedRssGrowth = 150 * 1024 * 1024;

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
    console.log(
      `200 MB round trip: peak growth retained ${mib(growth.retained)} MiB, RSS ${mib(growth.rss)} MiB`,
    );
    expect(growth.retained).toBeLessThan(allowedRetainedGrowth);
    expect(growth.rss).toBeLessThan(allowedRssGrowth);
  }, 180_000);
});

function mib(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}

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

/**
 * Samples memory while a transfer runs. Retained memory (JS heap plus buffers, measured right
 * after a forced full GC) is what streaming must keep flat; RSS also counts garbage the GC has
 * not collected yet, which on a busy machine can lag by tens of megabytes.
 */
class MemorySampler {
  readonly #gc = exposeGc();
  #baseline = { rss: 0, retained: 0 };
  #peak = { rss: 0, retained: 0 };
  #timer: NodeJS.Timeout | undefined;

  start(): void {
    this.#baseline = this.#sample();
    this.#peak = { ...this.#baseline };
    this.#timer = setInterval(() => {
      const sample = this.#sample();
      this.#peak = {
        rss: Math.max(this.#peak.rss, sample.rss),
        retained: Math.max(this.#peak.retained, sample.retained),
      };
    }, 250);
  }

  /** Peak growth above the start, in bytes. */
  stop(): { rss: number; retained: number } {
    clearInterval(this.#timer);
    return {
      rss: this.#peak.rss - this.#baseline.rss,
      retained: this.#peak.retained - this.#baseline.retained,
    };
  }

  #sample(): { rss: number; retained: number } {
    const rss = process.memoryUsage.rss();
    this.#gc();
    const { heapUsed, arrayBuffers } = process.memoryUsage();
    return { rss, retained: heapUsed + arrayBuffers };
  }
}

/** `global.gc` without a command-line flag: set the V8 flag, then take `gc` from a new context. */
function exposeGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}
