import { CRC32C } from '@google-cloud/storage';
import type { BlobMetadata, BlobRef, CreateResult } from '@bq-sftp-export/cloud';
import { InMemoryBlobStore } from '@bq-sftp-export/cloud/testing';
import type { Readable } from 'node:stream';

/** The in-memory BlobStore plus the CRC32C Cloud Storage reports, which `file.ready` carries. */
export class ChecksummedBlobStore extends InMemoryBlobStore {
  private withCrc(metadata: BlobMetadata): BlobMetadata {
    const content = this.content(metadata);
    if (content === undefined) return metadata;
    const crc32c = new CRC32C();
    crc32c.update(content);
    return { ...metadata, crc32c: crc32c.toString() };
  }

  override async stat(ref: BlobRef): Promise<BlobMetadata | undefined> {
    const metadata = await super.stat(ref);
    return metadata === undefined ? undefined : this.withCrc(metadata);
  }

  override async createFromStream(
    ref: BlobRef,
    source: Readable,
    options?: { readonly contentType?: string; readonly metadata?: Readonly<Record<string, string>> },
  ): Promise<CreateResult> {
    const result = await super.createFromStream(ref, source, options);
    return { ...result, metadata: this.withCrc(result.metadata) };
  }

  override async patchMetadata(
    ref: BlobRef,
    metadata: Readonly<Record<string, string>>,
  ): Promise<BlobMetadata> {
    return this.withCrc(await super.patchMetadata(ref, metadata));
  }
}
