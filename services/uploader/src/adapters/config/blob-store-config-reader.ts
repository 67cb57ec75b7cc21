import { parseGcsUri, type BlobStore } from '@bq-sftp-export/cloud';
import type { BlobReader } from '@bq-sftp-export/config';

/** Reads `gs://` config files through the BlobStore port (for `CONFIG_SOURCE=gs://bucket/prefix`). */
export class BlobStoreConfigReader implements BlobReader {
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
