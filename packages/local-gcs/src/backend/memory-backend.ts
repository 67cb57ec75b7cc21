import { randomUUID } from 'node:crypto';
import { Readable, Writable } from 'node:stream';

import type { BucketRecord, ObjectRecord } from '../model/records.js';
import type { BackendSnapshot, BlobDraft, ByteRange, StorageBackend } from './storage-backend.js';

/** Keeps bytes in memory as the chunks they arrived in. For tests; nothing survives `stop`. */
export class MemoryBackend implements StorageBackend {
  readonly #blobs = new Map<string, Buffer[]>();

  load(): Promise<BackendSnapshot> {
    return Promise.resolve({ buckets: [], objects: [] });
  }

  createDraft(): Promise<BlobDraft> {
    const chunks: Buffer[] = [];
    const blobs = this.#blobs;
    return Promise.resolve({
      segment: () =>
        new Writable({
          write(chunk: Buffer, _encoding, callback) {
            chunks.push(chunk);
            callback();
          },
        }),
      read: () => Promise.resolve(Readable.from(slices(chunks, undefined), { objectMode: false })),
      commit: () => {
        const id = randomUUID();
        blobs.set(id, chunks);
        return Promise.resolve(id);
      },
      discard: () => {
        chunks.length = 0;
        return Promise.resolve();
      },
    });
  }

  openRead(blobId: string, range?: ByteRange): Readable {
    const chunks = this.#blobs.get(blobId) ?? [];
    return Readable.from(slices(chunks, range), { objectMode: false });
  }

  deleteBlob(blobId: string): Promise<void> {
    this.#blobs.delete(blobId);
    return Promise.resolve();
  }

  saveBucket(_bucket: BucketRecord): Promise<void> {
    return Promise.resolve();
  }

  removeBucket(_name: string): Promise<void> {
    return Promise.resolve();
  }

  saveObject(_object: ObjectRecord): Promise<void> {
    return Promise.resolve();
  }

  removeObject(_bucket: string, _name: string): Promise<void> {
    return Promise.resolve();
  }

  clear(): Promise<void> {
    this.#blobs.clear();
    return Promise.resolve();
  }
}

function* slices(chunks: readonly Buffer[], range: ByteRange | undefined): Generator<Buffer> {
  const start = range?.start ?? 0;
  const end = range?.end ?? Number.POSITIVE_INFINITY;
  let offset = 0;
  for (const chunk of chunks) {
    const chunkStart = offset;
    offset += chunk.length;
    if (offset <= start) continue;
    if (chunkStart > end) return;
    yield chunk.subarray(Math.max(0, start - chunkStart), Math.min(chunk.length, end - chunkStart + 1));
  }
}
