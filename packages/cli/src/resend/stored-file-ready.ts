import type { Storage } from '@google-cloud/storage';

import type { ExportConfig } from '@bq-sftp-export/config';
import type { FileReady } from '@bq-sftp-export/contracts';
import { decodeMessage } from '@bq-sftp-export/contracts';
import { AppError } from '@bq-sftp-export/runtime';

const SUFFIX = '.file-ready.json';

/** Where the extractor keeps a run's published `file.ready` events (the prefix is used as written, as the extractor does). */
export function runPrefix(stagingPrefix: string, runId: string): string {
  return `${stagingPrefix}runs/${runId}/`;
}

export function stagingBucketOf(
  config: ExportConfig,
  env: Readonly<Record<string, string | undefined>>,
): string {
  const bucket = config.staging.bucket ?? (env['STAGING_BUCKET'] || undefined);
  if (bucket === undefined)
    throw new AppError(`config "${config.name}" names no staging bucket and STAGING_BUCKET is not set`, {
      code: 'STAGING_BUCKET_MISSING',
      retryable: false,
    });
  return bucket;
}

/**
 * The `file.ready` events the extractor stored for a run (`<prefix>runs/<runId>/<export>.file-ready.json`),
 * validated: one export's, or every export's when `exportName` is absent.
 */
export async function readStoredFileReady(
  storage: Storage,
  location: { bucket: string; prefix: string; runId: string; exportName?: string },
): Promise<FileReady[]> {
  const bucket = storage.bucket(location.bucket);
  const prefix = runPrefix(location.prefix, location.runId);
  let names: string[];
  if (location.exportName !== undefined) {
    names = [`${prefix}${location.exportName}${SUFFIX}`];
  } else {
    const [files] = await bucket.getFiles({ prefix });
    names = files
      .map((file) => file.name)
      .filter((name) => name.endsWith(SUFFIX))
      .sort();
  }
  const events: FileReady[] = [];
  for (const name of names) {
    let contents: Buffer;
    try {
      [contents] = await bucket.file(name).download();
    } catch (error) {
      if ((error as { code?: unknown }).code !== 404) throw error;
      continue;
    }
    events.push(decodeMessage('file.ready', contents));
  }
  if (events.length === 0)
    throw new AppError(
      `no file.ready stored for run ${location.runId}${location.exportName === undefined ? '' : `, export ${location.exportName}`} under gs://${location.bucket}/${prefix}`,
      { code: 'RUN_NOT_FOUND', retryable: false },
    );
  return events;
}
