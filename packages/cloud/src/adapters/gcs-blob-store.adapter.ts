import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';

import type { File, FileMetadata, Storage } from '@google-cloud/storage';

import type {
  BlobMetadata,
  BlobRef,
  BlobStore,
  CompareAndSwapResult,
  CreateResult,
  StoredJson,
} from '../ports/blob-store.js';
import { formatGcsUri } from '../ports/blob-uri.js';
import { gcsStatus, translateGcsError } from './gcs-errors.js';

function toMetadata(ref: BlobRef, m: FileMetadata): BlobMetadata {
  const custom: Record<string, string> = {};
  for (const [key, value] of Object.entries(m.metadata ?? {})) {
    if (value !== null && value !== undefined) custom[key] = String(value);
  }
  return {
    bucket: ref.bucket,
    name: ref.name,
    generation: String(m.generation ?? ''),
    metageneration: String(m.metageneration ?? ''),
    size: Number(m.size ?? 0),
    ...(m.crc32c === undefined ? {} : { crc32c: m.crc32c }),
    ...(m.md5Hash === undefined ? {} : { md5Hash: m.md5Hash }),
    ...(m.contentType === undefined ? {} : { contentType: m.contentType }),
    metadata: custom,
  };
}

/** BlobStore on Cloud Storage through the official client (or the local cloud's GCS). */
export class GcsBlobStore implements BlobStore {
  constructor(private readonly storage: Storage) {}

  private file(ref: BlobRef, generation?: string): File {
    return this.storage
      .bucket(ref.bucket)
      .file(ref.name, generation === undefined ? {} : { generation: Number(generation) });
  }

  async stat(ref: BlobRef): Promise<BlobMetadata | undefined> {
    try {
      const [metadata] = await this.file(ref).getMetadata();
      return toMetadata(ref, metadata);
    } catch (error) {
      if (gcsStatus(error) === 404) return undefined;
      throw translateGcsError(error, 'stat', formatGcsUri(ref));
    }
  }

  openRead(ref: BlobRef, options: { readonly generation?: string } = {}): Readable {
    const uri = formatGcsUri(ref);
    const stream = this.file(ref, options.generation).createReadStream({ validation: false });
    // Errors keep flowing on the same stream, translated, so a pipeline sees one error type.
    const emit = stream.emit.bind(stream);
    stream.emit = ((event: string | symbol, ...args: unknown[]) =>
      event === 'error'
        ? emit('error', translateGcsError(args[0], 'read', uri))
        : emit(event, ...args)) as typeof stream.emit;
    return stream;
  }

  async createFromStream(
    ref: BlobRef,
    source: Readable,
    options: { readonly contentType?: string; readonly metadata?: Readonly<Record<string, string>> } = {},
  ): Promise<CreateResult> {
    const file = this.file(ref);
    const target = file.createWriteStream({
      resumable: true,
      validation: 'crc32c',
      preconditionOpts: { ifGenerationMatch: 0 },
      metadata: {
        ...(options.contentType === undefined ? {} : { contentType: options.contentType }),
        metadata: { ...options.metadata },
      },
    });
    try {
      await pipeline(source, target);
    } catch (error) {
      if (gcsStatus(error) === 412) {
        source.destroy();
        const existing = await this.stat(ref);
        if (existing) return { kind: 'exists', metadata: existing };
      }
      throw translateGcsError(error, 'write', formatGcsUri(ref));
    }
    // The upload's response is the new object's resource: no second request, no race.
    return { kind: 'created', metadata: toMetadata(ref, file.metadata) };
  }

  async patchMetadata(ref: BlobRef, metadata: Readonly<Record<string, string>>): Promise<BlobMetadata> {
    try {
      const [updated] = await this.file(ref).setMetadata({ metadata: { ...metadata } });
      return toMetadata(ref, updated);
    } catch (error) {
      throw translateGcsError(error, 'patch metadata', formatGcsUri(ref));
    }
  }

  async readJson(ref: BlobRef): Promise<StoredJson | undefined> {
    // The document is read at the generation its metadata named; when a writer replaces it in
    // between, that generation is gone (404) and the read starts over from the new one.
    for (let attempt = 1; ; attempt++) {
      let generation: string;
      try {
        const [metadata] = await this.file(ref).getMetadata();
        generation = String(metadata.generation);
      } catch (error) {
        if (gcsStatus(error) === 404) return undefined;
        throw translateGcsError(error, 'read', formatGcsUri(ref));
      }
      let content: Buffer;
      try {
        [content] = await this.file(ref, generation).download({ validation: false });
      } catch (error) {
        if (gcsStatus(error) === 404 && attempt < 5) continue;
        throw translateGcsError(error, 'read', formatGcsUri(ref));
      }
      try {
        return { value: JSON.parse(content.toString('utf8')) as unknown, generation };
      } catch (error) {
        throw translateGcsError(
          Object.assign(error as Error, { code: 400 }),
          'parse JSON',
          formatGcsUri(ref),
        );
      }
    }
  }

  async writeJson(ref: BlobRef, value: unknown, expectedGeneration: string): Promise<CompareAndSwapResult> {
    const file = this.file(ref);
    try {
      await file.save(`${JSON.stringify(value)}\n`, {
        resumable: false,
        contentType: 'application/json',
        preconditionOpts: { ifGenerationMatch: expectedGeneration },
      });
    } catch (error) {
      if (gcsStatus(error) === 412) return { kind: 'conflict' };
      throw translateGcsError(error, 'write', formatGcsUri(ref));
    }
    return { kind: 'written', generation: String(file.metadata.generation) };
  }
}
