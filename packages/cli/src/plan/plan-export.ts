import type { BigQuery } from '@google-cloud/bigquery';
import type { Storage } from '@google-cloud/storage';

import type { ExportConfig, ResolvedExport } from '@bq-sftp-export/config';
import { renderFileName } from '@bq-sftp-export/config';
import type { ExportWindow, Micros } from '@bq-sftp-export/export-domain';
import {
  buildExportQuery,
  formatInstant,
  isEmptyWindow,
  parseInstant,
  planWindow,
} from '@bq-sftp-export/export-domain';
import { AppError } from '@bq-sftp-export/runtime';

export interface PlanRequest {
  readonly now: Micros;
  readonly mode?: 'incremental' | 'full';
  readonly backfill?: { readonly from: string; readonly to: string };
}

export interface ExportPlan {
  readonly export: string;
  readonly sourceTable: string;
  /** The committed watermark read from the extractor's checkpoint; null before the first run. */
  readonly checkpointHigh: string | null;
  /** The run holding the export's lease right now, if any. */
  readonly runInProgress: string | null;
  readonly window: {
    readonly mode: string;
    readonly low: string | null;
    readonly high: string;
    readonly scanLow: string | null;
  };
  readonly empty: boolean;
  readonly sql: string | null;
  readonly params: Readonly<Record<string, string>>;
  readonly bytesProcessed: number | null;
  readonly rowCount: number | null;
  readonly fileName: string | null;
  readonly remotePath: string | null;
  readonly destination: string;
}

interface StoredCheckpoint {
  readonly committed?: { readonly high?: unknown } | null;
  readonly lease?: { readonly runId?: unknown } | null;
}

/** The extractor's checkpoint object of one export: `checkpoints/<config>/<export>.json` in the staging bucket. */
async function readCheckpoint(
  storage: Storage,
  bucket: string,
  configName: string,
  exportName: string,
): Promise<{ high: Micros | null; runInProgress: string | null }> {
  const name = `checkpoints/${configName}/${exportName}.json`;
  let contents: Buffer;
  try {
    [contents] = await storage.bucket(bucket).file(name).download();
  } catch (error) {
    if ((error as { code?: unknown }).code === 404) return { high: null, runInProgress: null };
    throw error;
  }
  let document: StoredCheckpoint;
  try {
    document = JSON.parse(contents.toString('utf8')) as StoredCheckpoint;
  } catch (error) {
    throw new AppError(`checkpoint gs://${bucket}/${name} is not JSON`, {
      code: 'CHECKPOINT_INVALID',
      retryable: false,
      cause: error,
    });
  }
  const high = document.committed?.high;
  const runId = document.lease?.runId;
  return {
    high: typeof high === 'string' ? parseInstant(high, 'checkpoint.committed.high') : null,
    runInProgress: typeof runId === 'string' ? runId : null,
  };
}

const text = (micros: Micros | null): string | null => (micros === null ? null : formatInstant(micros));
const dateOf = (micros: Micros): Date => new Date(Number(micros / 1000n));

/**
 * What a run of one export would do now, touching nothing: its window (from the checkpoint),
 * the exact query with its parameters, BigQuery's dry-run byte estimate, the row count, and the
 * file name and remote path it would deliver.
 */
export async function planExport(
  clients: { readonly bigquery: BigQuery; readonly storage: Storage },
  config: ExportConfig,
  entry: ResolvedExport,
  bucket: string,
  request: PlanRequest,
): Promise<ExportPlan> {
  const checkpoint = await readCheckpoint(clients.storage, bucket, config.name, entry.name);
  const window: ExportWindow = planWindow(
    {
      incremental: entry.mode === 'incremental',
      timestamp_column: entry.timestampColumn,
      settle_delay_seconds: entry.settleDelaySeconds,
      lookback_seconds: entry.lookbackSeconds,
      start_at: entry.startAt,
    },
    {
      now: request.now,
      checkpointHigh: checkpoint.high,
      mode: request.mode,
      backfill:
        request.backfill === undefined
          ? undefined
          : {
              from: parseInstant(request.backfill.from, '--from'),
              to: parseInstant(request.backfill.to, '--to'),
            },
    },
  );
  const destination = config.destinations[entry.destination];
  const base = {
    export: entry.name,
    sourceTable: entry.sourceTable,
    checkpointHigh: text(checkpoint.high),
    runInProgress: checkpoint.runInProgress,
    window: {
      mode: window.mode,
      low: text(window.low),
      high: formatInstant(window.high),
      scanLow: text(window.scanLow),
    },
    destination: entry.destination,
  };
  if (isEmptyWindow(window))
    return {
      ...base,
      empty: true,
      sql: null,
      params: {},
      bytesProcessed: null,
      rowCount: null,
      fileName: null,
      remotePath: null,
    };

  const query = buildExportQuery(
    {
      source_table: entry.sourceTable,
      columns: entry.columns,
      timestamp_column: entry.timestampColumn,
      dedupe_key: entry.dedupeKey,
    },
    window,
    request.now,
  );
  const options = { params: { ...query.params }, types: { ...query.types } };
  const [job] = await clients.bigquery.createQueryJob({ query: query.sql, ...options, dryRun: true });
  const metadata = job.metadata as { statistics?: { totalBytesProcessed?: string } } | undefined;
  const bytes = metadata?.statistics?.totalBytesProcessed;
  const [rows] = await clients.bigquery.query({
    query: `SELECT COUNT(*) AS n FROM (\n${query.sql}\n)`,
    ...options,
  });
  const fileName = renderFileName(entry.fileNameTemplate, {
    runStartedAt: dateOf(request.now),
    timeZone: entry.fileNameTimeZone,
    exportName: entry.name,
    runId: 'RUN_ID',
    ...(window.low === null ? {} : { windowStart: dateOf(window.low) }),
    windowEnd: dateOf(window.high),
  });
  return {
    ...base,
    empty: false,
    sql: query.sql,
    params: Object.fromEntries(Object.entries(query.params).map(([name, value]) => [name, value.value])),
    bytesProcessed: bytes === undefined ? null : Number(bytes),
    rowCount: Number((rows as { n: number | string }[])[0]?.n ?? 0),
    fileName,
    remotePath: destination === undefined ? null : `${destination.path.replace(/\/+$/, '')}/${fileName}`,
  };
}
