import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';

import { AppError } from '@bq-sftp-export/runtime';

import type {
  BlobMetadata,
  BlobRef,
  BlobStore,
  CompareAndSwapResult,
  CreateResult,
  StoredJson,
} from '../ports/blob-store.js';
import { formatGcsUri } from '../ports/blob-uri.js';

interface Stored {
  content: Buffer;
  generation: number;
  metageneration: number;
  contentType?: string;
  metadata: Record<string, string>;
}

/** A BlobStore in memory with Cloud Storage's generation semantics, for unit tests. */
export class InMemoryBlobStore implements BlobStore {
  private readonly objects = new Map<string, Stored>();
  private nextGeneration = 1_000_000;
  /** Number of create/write calls, for assertions on what a handler did. */
  writes = 0;

  private key(ref: BlobRef): string {
    return formatGcsUri(ref);
  }

  private meta(ref: BlobRef, stored: Stored): BlobMetadata {
    return {
      bucket: ref.bucket,
      name: ref.name,
      generation: String(stored.generation),
      metageneration: String(stored.metageneration),
      size: stored.content.length,
      md5Hash: createHash('md5').update(stored.content).digest('base64'),
      ...(stored.contentType === undefined ? {} : { contentType: stored.contentType }),
      metadata: { ...stored.metadata },
    };
  }

  /** Puts an object directly, as a test's set-up. */
  put(ref: BlobRef, content: string | Buffer, metadata: Record<string, string> = {}): BlobMetadata {
    const stored = {
      content: Buffer.from(content),
      generation: this.nextGeneration++,
      metageneration: 1,
      metadata,
    };
    this.objects.set(this.key(ref), stored);
    return this.meta(ref, stored);
  }

  /** An object's bytes, or undefined. */
  content(ref: BlobRef): Buffer | undefined {
    return this.objects.get(this.key(ref))?.content;
  }

  names(): string[] {
    return [...this.objects.keys()].sort();
  }

  stat(ref: BlobRef): Promise<BlobMetadata | undefined> {
    const stored = this.objects.get(this.key(ref));
    return Promise.resolve(stored ? this.meta(ref, stored) : undefined);
  }

  openRead(ref: BlobRef, options: { readonly generation?: string } = {}): Readable {
    const stored = this.objects.get(this.key(ref));
    if (!stored || (options.generation !== undefined && String(stored.generation) !== options.generation)) {
      const stream = new Readable({ read() {} });
      process.nextTick(() =>
        stream.destroy(
          new AppError(`read: ${this.key(ref)} does not exist`, { code: 'BLOB_NOT_FOUND', retryable: false }),
        ),
      );
      return stream;
    }
    return Readable.from([stored.content]);
  }

  async createFromStream(
    ref: BlobRef,
    source: Readable,
    options: { readonly contentType?: string; readonly metadata?: Readonly<Record<string, string>> } = {},
  ): Promise<CreateResult> {
    this.writes++;
    const existing = this.objects.get(this.key(ref));
    if (existing) {
      source.destroy();
      return { kind: 'exists', metadata: this.meta(ref, existing) };
    }
    const chunks: Buffer[] = [];
    for await (const chunk of source) chunks.push(Buffer.from(chunk as Uint8Array));
    const raced = this.objects.get(this.key(ref));
    if (raced) return { kind: 'exists', metadata: this.meta(ref, raced) };
    const stored: Stored = {
      content: Buffer.concat(chunks),
      generation: this.nextGeneration++,
      metageneration: 1,
      ...(options.contentType === undefined ? {} : { contentType: options.contentType }),
      metadata: { ...options.metadata },
    };
    this.objects.set(this.key(ref), stored);
    return { kind: 'created', metadata: this.meta(ref, stored) };
  }

  patchMetadata(ref: BlobRef, metadata: Readonly<Record<string, string>>): Promise<BlobMetadata> {
    const stored = this.objects.get(this.key(ref));
    if (!stored) {
      return Promise.reject(
        new AppError(`patch metadata: ${this.key(ref)} does not exist`, {
          code: 'BLOB_NOT_FOUND',
          retryable: false,
        }),
      );
    }
    stored.metadata = { ...stored.metadata, ...metadata };
    stored.metageneration++;
    return Promise.resolve(this.meta(ref, stored));
  }

  readJson(ref: BlobRef): Promise<StoredJson | undefined> {
    const stored = this.objects.get(this.key(ref));
    if (!stored) return Promise.resolve(undefined);
    return Promise.resolve({
      value: JSON.parse(stored.content.toString('utf8')) as unknown,
      generation: String(stored.generation),
    });
  }

  writeJson(ref: BlobRef, value: unknown, expectedGeneration: string): Promise<CompareAndSwapResult> {
    this.writes++;
    const stored = this.objects.get(this.key(ref));
    const current = stored ? String(stored.generation) : '0';
    if (current !== expectedGeneration) return Promise.resolve({ kind: 'conflict' });
    const generation = this.nextGeneration++;
    this.objects.set(this.key(ref), {
      content: Buffer.from(`${JSON.stringify(value)}\n`),
      generation,
      metageneration: 1,
      contentType: 'application/json',
      metadata: {},
    });
    return Promise.resolve({ kind: 'written', generation: String(generation) });
  }
}
