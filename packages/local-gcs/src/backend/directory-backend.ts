import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';

import type { BucketRecord, ObjectRecord } from '../model/records.js';
import type { BackendSnapshot, BlobDraft, ByteRange, StorageBackend } from './storage-backend.js';

/**
 * Keeps bytes and records under one directory:
 * - `blobs/<id>`: immutable object bytes, written to `tmp/` first and renamed when complete;
 * - `buckets/<name>.json`: bucket records;
 * - `objects/<bucket>/<sha256 of name>.json`: one sidecar per object naming its blob.
 * Every file appears by an atomic rename, so a crash leaves either the old object or the new
 * one, never a torn one; leftovers (drafts, unreferenced blobs) are swept at `load`.
 */
export class DirectoryBackend implements StorageBackend {
  readonly #root: string;
  /** Serialises record writes per file, so a late write never overwrites a newer record. */
  readonly #writes = new Map<string, Promise<void>>();

  constructor(root: string) {
    this.#root = root;
  }

  async load(): Promise<BackendSnapshot> {
    await Promise.all(
      ['blobs', 'tmp', 'buckets', 'objects'].map((dir) => mkdir(this.#path(dir), { recursive: true })),
    );
    await rm(this.#path('tmp'), { recursive: true, force: true });
    await mkdir(this.#path('tmp'));
    const buckets = await readRecords<BucketRecord>(this.#path('buckets'));
    const objects: ObjectRecord[] = [];
    for (const bucket of buckets) {
      objects.push(...(await readRecords<ObjectRecord>(this.#path('objects', encodeSegment(bucket.name)))));
    }
    const referenced = new Set(objects.map((object) => object.blobId));
    const blobs = await readdir(this.#path('blobs'));
    await Promise.all(
      blobs.filter((id) => !referenced.has(id)).map((id) => rm(this.#path('blobs', id), { force: true })),
    );
    return { buckets, objects };
  }

  async createDraft(): Promise<BlobDraft> {
    const id = randomUUID();
    const draftPath = this.#path('tmp', id);
    await writeFile(draftPath, '');
    let closed: Promise<void> = Promise.resolve();
    return {
      segment: (): Writable => {
        const stream = createWriteStream(draftPath, { flags: 'a' });
        // 'close' comes after any write in flight has landed, also when the segment failed
        // (events.once would reject at the 'error' that precedes it).
        closed = new Promise<void>((resolve) => stream.once('close', () => resolve()));
        return stream;
      },
      read: async () => {
        await closed;
        return createReadStream(draftPath);
      },
      commit: async () => {
        await closed;
        const handle = await open(draftPath, 'a');
        try {
          await handle.sync();
        } finally {
          await handle.close();
        }
        await rename(draftPath, this.#path('blobs', id));
        return id;
      },
      discard: () => rm(draftPath, { force: true }),
    };
  }

  openRead(blobId: string, range?: ByteRange): Readable {
    return createReadStream(
      this.#path('blobs', blobId),
      range === undefined ? {} : { start: range.start, end: range.end },
    );
  }

  deleteBlob(blobId: string): Promise<void> {
    return rm(this.#path('blobs', blobId), { force: true });
  }

  saveBucket(bucket: BucketRecord): Promise<void> {
    return this.#serialised(this.#bucketFile(bucket.name), (file) => writeAtomically(file, bucket));
  }

  removeBucket(name: string): Promise<void> {
    return this.#serialised(this.#bucketFile(name), async (file) => {
      await rm(file, { force: true });
      await rm(this.#path('objects', encodeSegment(name)), { recursive: true, force: true });
    });
  }

  saveObject(object: ObjectRecord): Promise<void> {
    return this.#serialised(this.#objectFile(object.bucket, object.name), async (file) => {
      await mkdir(path.dirname(file), { recursive: true });
      await writeAtomically(file, object);
    });
  }

  removeObject(bucket: string, name: string): Promise<void> {
    return this.#serialised(this.#objectFile(bucket, name), (file) => rm(file, { force: true }));
  }

  async clear(): Promise<void> {
    await Promise.all([...this.#writes.values()]);
    await Promise.all(
      ['blobs', 'tmp', 'buckets', 'objects'].map((dir) =>
        rm(this.#path(dir), { recursive: true, force: true }),
      ),
    );
    await this.load();
  }

  #serialised(file: string, write: (file: string) => Promise<void>): Promise<void> {
    const next = (this.#writes.get(file) ?? Promise.resolve()).then(() => write(file));
    const settled = next.catch(() => undefined);
    this.#writes.set(file, settled);
    void settled.then(() => {
      if (this.#writes.get(file) === settled) this.#writes.delete(file);
    });
    return next;
  }

  #bucketFile(name: string): string {
    return this.#path('buckets', `${encodeSegment(name)}.json`);
  }

  #objectFile(bucket: string, name: string): string {
    const digest = createHash('sha256').update(name).digest('hex');
    return this.#path('objects', encodeSegment(bucket), `${digest}.json`);
  }

  #path(...parts: string[]): string {
    return path.join(this.#root, ...parts);
  }
}

/** Bucket names are already file-name safe; encoding keeps that true for anything odd. */
function encodeSegment(value: string): string {
  return encodeURIComponent(value);
}

async function writeAtomically(file: string, record: unknown): Promise<void> {
  const temporary = `${file}.${randomUUID()}.tmp`;
  await writeFile(temporary, JSON.stringify(record));
  await rename(temporary, file);
}

async function readRecords<T>(dir: string): Promise<T[]> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch {
    return [];
  }
  const records: T[] = [];
  for (const entry of entries) {
    if (entry.endsWith('.tmp')) {
      await rm(path.join(dir, entry), { force: true });
    } else if (entry.endsWith('.json')) {
      records.push(JSON.parse(await readFile(path.join(dir, entry), 'utf8')) as T);
    }
  }
  return records;
}
