import type { Readable, Writable } from 'node:stream';

import type { BucketRecord, ObjectRecord } from '../model/records.js';

/** Inclusive byte range of a blob. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/**
 * Bytes being written for an object that does not exist yet. Appended to in one or more
 * segments (a resumable upload sends several), invisible until `commit`.
 */
export interface BlobDraft {
  /** A sink for the next segment; resolve the pipeline before opening the next one. */
  segment(): Writable;
  /** The bytes written so far (after a failed segment: the part that actually landed). */
  read(): Promise<Readable>;
  /** Makes the bytes durable and immutable; returns the blob id an object record refers to. */
  commit(): Promise<string>;
  discard(): Promise<void>;
}

export interface BackendSnapshot {
  readonly buckets: readonly BucketRecord[];
  readonly objects: readonly ObjectRecord[];
}

/**
 * Where bytes and records live. The catalog keeps the authoritative view in memory and
 * writes through to the backend, which lets the directory backend survive a restart.
 */
export interface StorageBackend {
  load(): Promise<BackendSnapshot>;
  createDraft(): Promise<BlobDraft>;
  openRead(blobId: string, range?: ByteRange): Readable;
  deleteBlob(blobId: string): Promise<void>;
  saveBucket(bucket: BucketRecord): Promise<void>;
  removeBucket(name: string): Promise<void>;
  saveObject(object: ObjectRecord): Promise<void>;
  removeObject(bucket: string, name: string): Promise<void>;
  /** Forgets everything (buckets, objects, drafts). */
  clear(): Promise<void>;
}
