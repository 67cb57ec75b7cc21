import type { StorageBackend } from '../backend/storage-backend.js';
import type { ObjectDigest } from '../hashing/object-hasher.js';
import { gcsErrors } from './gcs-error.js';
import { GenerationClock } from './generation-clock.js';
import { listObjects, type ListPage, type ListQuery } from './list-objects.js';
import { preconditionsHold, type Preconditions } from './preconditions.js';
import type { BucketRecord, ObjectMetadataFields, ObjectRecord } from './records.js';

export interface NewObject extends ObjectMetadataFields {
  readonly bucket: string;
  readonly name: string;
  readonly blobId: string;
  readonly digest: ObjectDigest;
  readonly componentCount?: number;
}

/**
 * The authoritative view of buckets and live object generations. Checks and swaps happen
 * synchronously in memory, so two writers racing on one name cannot both pass a precondition;
 * the backend is written through afterwards.
 */
export class Catalog {
  readonly #backend: StorageBackend;
  readonly #clock = new GenerationClock();
  readonly #buckets = new Map<string, BucketRecord>();
  readonly #objects = new Map<string, Map<string, ObjectRecord>>();
  readonly #writeHooks = new Map<string, () => Promise<void>>();

  constructor(backend: StorageBackend) {
    this.#backend = backend;
  }

  get backend(): StorageBackend {
    return this.#backend;
  }

  async load(): Promise<void> {
    const snapshot = await this.#backend.load();
    for (const bucket of snapshot.buckets) this.#addBucket(bucket);
    for (const object of snapshot.objects) this.#objects.get(object.bucket)?.set(object.name, object);
  }

  async reset(): Promise<void> {
    this.#writeHooks.clear();
    this.#buckets.clear();
    this.#objects.clear();
    await this.#backend.clear();
  }

  async createBucket(
    name: string,
    fields: Pick<BucketRecord, 'location' | 'storageClass' | 'labels'>,
  ): Promise<BucketRecord> {
    if (this.#buckets.has(name)) throw gcsErrors.bucketExists();
    const now = new Date().toISOString();
    const bucket: BucketRecord = { name, metageneration: 1, ...fields, timeCreated: now, updated: now };
    this.#addBucket(bucket);
    await this.#backend.saveBucket(bucket);
    return bucket;
  }

  bucket(name: string): BucketRecord {
    const bucket = this.#buckets.get(name);
    if (bucket === undefined) throw gcsErrors.noSuchBucket();
    return bucket;
  }

  buckets(): BucketRecord[] {
    return [...this.#buckets.values()].sort((a, b) => compare(a.name, b.name));
  }

  async deleteBucket(name: string): Promise<void> {
    this.bucket(name);
    if ((this.#objects.get(name)?.size ?? 0) > 0) throw gcsErrors.bucketNotEmpty();
    this.#buckets.delete(name);
    this.#objects.delete(name);
    await this.#backend.removeBucket(name);
  }

  /** The live object; `generation`, when given, must be the live one. */
  object(bucket: string, name: string, generation?: number): ObjectRecord {
    const object = this.#bucketObjects(bucket).get(name);
    if (object === undefined || (generation !== undefined && object.generation !== generation)) {
      throw gcsErrors.noSuchObject(bucket, name);
    }
    return object;
  }

  /** The live object of a name, if any (the bucket must exist). */
  find(bucket: string, name: string): ObjectRecord | undefined {
    return this.#bucketObjects(bucket).get(name);
  }

  objects(bucket: string): ObjectRecord[] {
    return [...this.#bucketObjects(bucket).values()].sort((a, b) => compare(a.name, b.name));
  }

  list(bucket: string, query: ListQuery): ListPage {
    return listObjects(this.objects(bucket), query);
  }

  /**
   * Makes committed bytes the new live generation of a name if the preconditions hold;
   * otherwise the bytes are dropped and 412 is thrown.
   */
  async putObject(entry: NewObject, conditions: Preconditions): Promise<ObjectRecord> {
    const key = `${entry.bucket}/${entry.name}`;
    const hook = this.#writeHooks.get(key);
    if (hook !== undefined) {
      this.#writeHooks.delete(key);
      await hook();
    }
    const objects = this.#bucketObjects(entry.bucket);
    const previous = objects.get(entry.name);
    if (!preconditionsHold(previous, conditions)) {
      await this.#backend.deleteBlob(entry.blobId);
      throw gcsErrors.preconditionFailed();
    }
    const now = new Date().toISOString();
    const { digest, ...fields } = entry;
    const object: ObjectRecord = {
      ...fields,
      generation: this.#clock.next(),
      metageneration: 1,
      size: digest.size,
      crc32c: digest.crc32c,
      md5Hash: digest.md5Hash,
      timeCreated: now,
      updated: now,
    };
    objects.set(object.name, object);
    await this.#backend.saveObject(object);
    if (previous !== undefined) await this.#backend.deleteBlob(previous.blobId);
    return object;
  }

  /**
   * Runs `hook` when the next write of `bucket/name` arrives, before its preconditions are
   * checked (a fault control: the hook plays a concurrent writer). One write, then it is gone.
   */
  beforeNextWrite(bucket: string, name: string, hook: () => Promise<void>): void {
    this.#writeHooks.set(`${bucket}/${name}`, hook);
  }

  async patchObject(
    bucket: string,
    name: string,
    patch: ObjectMetadataFields,
    conditions: Preconditions,
    generation?: number,
  ): Promise<ObjectRecord> {
    const current = this.#objectWhere(bucket, name, conditions, generation);
    const updated: ObjectRecord = {
      ...current,
      ...patch,
      metageneration: current.metageneration + 1,
      updated: new Date().toISOString(),
    };
    this.#bucketObjects(bucket).set(name, updated);
    await this.#backend.saveObject(updated);
    return updated;
  }

  async deleteObject(
    bucket: string,
    name: string,
    conditions: Preconditions,
    generation?: number,
  ): Promise<void> {
    const current = this.#objectWhere(bucket, name, conditions, generation);
    this.#bucketObjects(bucket).delete(name);
    await this.#backend.removeObject(bucket, name);
    await this.#backend.deleteBlob(current.blobId);
  }

  /** The live object, if it exists (404) and meets the preconditions (412). */
  #objectWhere(bucket: string, name: string, conditions: Preconditions, generation?: number): ObjectRecord {
    const current = this.object(bucket, name, generation);
    if (!preconditionsHold(current, conditions)) throw gcsErrors.preconditionFailed();
    return current;
  }

  #addBucket(bucket: BucketRecord): void {
    this.#buckets.set(bucket.name, bucket);
    this.#objects.set(bucket.name, new Map());
  }

  #bucketObjects(bucket: string): Map<string, ObjectRecord> {
    const objects = this.#objects.get(bucket);
    if (objects === undefined) throw gcsErrors.noSuchBucket();
    return objects;
  }
}

/** Cloud Storage orders names by their bytes; for UTF-16 strings of BMP text this matches. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
