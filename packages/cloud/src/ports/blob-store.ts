import type { Readable } from 'node:stream';

import type { ServiceIdentifier } from 'inversify';

/** An object in a bucket. */
export interface BlobRef {
  readonly bucket: string;
  readonly name: string;
}

export interface BlobMetadata extends BlobRef {
  /** The object's generation: changes on every overwrite; the handle for preconditions. */
  readonly generation: string;
  readonly metageneration: string;
  readonly size: number;
  /** base64 big-endian CRC32C, as Cloud Storage reports it. */
  readonly crc32c?: string;
  readonly md5Hash?: string;
  readonly contentType?: string;
  /** Custom metadata. */
  readonly metadata: Readonly<Record<string, string>>;
}

export type CreateResult =
  | { readonly kind: 'created'; readonly metadata: BlobMetadata }
  | { readonly kind: 'exists'; readonly metadata: BlobMetadata };

export type CompareAndSwapResult =
  { readonly kind: 'written'; readonly generation: string } | { readonly kind: 'conflict' };

export interface StoredJson {
  readonly value: unknown;
  readonly generation: string;
}

/**
 * Object storage as the services need it: streamed reads and create-only streamed writes for
 * staged files, and small JSON documents updated by compare-and-swap on their generation
 * (checkpoints, the delivery ledger, notification records).
 */
export interface BlobStore {
  /** The object's metadata, or undefined when it does not exist. */
  stat(ref: BlobRef): Promise<BlobMetadata | undefined>;
  /**
   * Streams an object's bytes, pinned to one generation when given (a later overwrite is then
   * a not-found error instead of a silent switch of content).
   */
  openRead(ref: BlobRef, options?: { readonly generation?: string }): Readable;
  /**
   * Streams source into a new object and never overwrites one (`ifGenerationMatch=0`): when
   * the object already exists the result is `exists` with its metadata, and source is
   * abandoned.
   */
  createFromStream(
    ref: BlobRef,
    source: Readable,
    options?: { readonly contentType?: string; readonly metadata?: Readonly<Record<string, string>> },
  ): Promise<CreateResult>;
  /** Sets custom metadata keys on an existing object. */
  patchMetadata(ref: BlobRef, metadata: Readonly<Record<string, string>>): Promise<BlobMetadata>;
  /** A small JSON document with the generation to use for compare-and-swap, or undefined. */
  readJson(ref: BlobRef): Promise<StoredJson | undefined>;
  /**
   * Writes a small JSON document only if the object's generation still is `expectedGeneration`
   * (`'0'`: only if it does not exist yet).
   */
  writeJson(ref: BlobRef, value: unknown, expectedGeneration: string): Promise<CompareAndSwapResult>;
}

export const BlobStore: ServiceIdentifier<BlobStore> = Symbol.for('bq-sftp-export.BlobStore');
