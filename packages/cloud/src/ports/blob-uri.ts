import { AppError } from '@bq-sftp-export/runtime';

import type { BlobRef } from './blob-store.js';

const bucketPattern = /^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/;

/** Parses `gs://bucket/object/name`; the object name may hold slashes but not be empty. */
export function parseGcsUri(uri: string): BlobRef {
  const match = /^gs:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (!match || !bucketPattern.test(match[1]!) || match[2]!.includes('\0')) {
    throw new AppError('not a Cloud Storage URI of the form gs://bucket/object', {
      code: 'BLOB_URI_INVALID',
      retryable: false,
    });
  }
  return { bucket: match[1]!, name: match[2]! };
}

export function formatGcsUri(ref: BlobRef): string {
  return `gs://${ref.bucket}/${ref.name}`;
}
