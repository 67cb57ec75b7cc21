import { buffer } from 'node:stream/consumers';

import { parseGcsUri } from '@bq-sftp-export/cloud';
import type { BlobStore } from '@bq-sftp-export/cloud';
import type { BlobReader } from '@bq-sftp-export/config';

/** The config package's `gs://` reader on a BlobStore: a config file's bytes, or undefined. */
export function blobConfigReader(blobs: BlobStore): BlobReader {
  return {
    async read(uri) {
      const ref = parseGcsUri(uri);
      const metadata = await blobs.stat(ref);
      if (metadata === undefined) return undefined;
      return buffer(blobs.openRead(ref, { generation: metadata.generation }));
    },
  };
}
