import type { BlobStore } from '../ports/blob-store.js';
import { parseGcsUri } from '../ports/blob-uri.js';

/**
 * Reads whole `gs://` objects through the BlobStore port, pinned to the generation it found:
 * the `BlobReader` that `@bq-sftp-export/config` takes for `CONFIG_SOURCE=gs://bucket/prefix`.
 */
export class BlobStoreConfigReader {
  constructor(private readonly blobs: BlobStore) {}

  async read(uri: string): Promise<Buffer | undefined> {
    const ref = parseGcsUri(uri);
    const metadata = await this.blobs.stat(ref);
    if (metadata === undefined) return undefined;
    const chunks: Buffer[] = [];
    for await (const chunk of this.blobs.openRead(ref, { generation: metadata.generation })) {
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
  }
}
