import { parseGcsUri, type BlobStore } from '@bq-sftp-export/cloud';
import type { BlobReader } from '@bq-sftp-export/config';

/** Reads `gs://` config files through the BlobStore port (for `CONFIG_SOURCE=gs://…`). */
export function blobStoreConfigReader(store: BlobStore): BlobReader {
  return {
    async read(uri: string): Promise<Buffer | undefined> {
      const ref = parseGcsUri(uri);
      const metadata = await store.stat(ref);
      if (metadata === undefined) return undefined;
      const chunks: Buffer[] = [];
      for await (const chunk of store.openRead(ref, { generation: metadata.generation })) {
        chunks.push(chunk as Buffer);
      }
      return Buffer.concat(chunks);
    },
  };
}
