import { deterministicEventId } from '@bq-sftp-export/contracts';
import type { ExportEvent, ExportEventOf, ExportEventType } from '@bq-sftp-export/contracts';

const sha256 = 'b'.repeat(64);
export const WINDOW = { low: '2026-11-25T05:00:00Z', high: '2026-11-26T05:00:00Z' };
export const FILE_NAME = 'SHOPIFYCUSTOMERDATA_20261126_050000.csv';

/** Facts of one run, for building its events. */
export interface RunFacts {
  readonly runId: string;
  readonly exportName: string;
  readonly configName: string;
  /** Minute offset of the run's events, so later runs happen later. */
  readonly at: number;
}

export function runFacts(runId: string, at = 0, exportName = 'shopify_customers'): RunFacts {
  return { runId, exportName, configName: 'default', at };
}

function instant(run: RunFacts, seconds: number): string {
  return new Date(Date.parse('2026-11-26T05:00:00Z') + run.at * 60_000 + seconds * 1000).toISOString();
}

function base(run: RunFacts, type: ExportEventType, seconds: number, ...idParts: string[]) {
  return {
    schemaVersion: 1 as const,
    eventId: deterministicEventId(run.runId, type, run.exportName, ...idParts),
    runId: run.runId,
    exportName: run.exportName,
    configName: run.configName,
    sourceTable: 'prod_staging.shopify_customerdata',
    occurredAt: instant(run, seconds),
  };
}

/** The run's window: `WINDOW` moved by the run's minute offset. */
export function windowOf(run: RunFacts): { low: string; high: string } {
  const shift = (at: string) => new Date(Date.parse(at) + run.at * 60_000).toISOString();
  return { low: shift(WINDOW.low), high: shift(WINDOW.high) };
}

const fileEventId = (run: RunFacts): string => deterministicEventId(run.runId, 'file.ready', run.exportName);

/** Where a run's file went, as delivered and duplicate events state it. */
function delivery(run: RunFacts) {
  return {
    destination: 'default',
    fileName: FILE_NAME,
    remotePath: `/To_Verite/${FILE_NAME}`,
    byteSize: 2048,
    sha256,
    rowCount: 42,
    window: windowOf(run),
    lastExportedValue: '2026-11-26T04:59:59.5Z',
    fileEventId: fileEventId(run),
  };
}

/** One event of every kind for a run, as the extractor and uploader state them. */
export const events = {
  started: (run: RunFacts): ExportEventOf<'extract.started'> => ({
    ...base(run, 'extract.started', 0),
    type: 'extract.started',
    mode: 'incremental',
    window: windowOf(run),
  }),
  staged: (run: RunFacts): ExportEventOf<'extract.staged'> => ({
    ...base(run, 'extract.staged', 10),
    type: 'extract.staged',
    mode: 'incremental',
    window: windowOf(run),
    startedAt: instant(run, 0),
    file: {
      fileName: FILE_NAME,
      gcsUri: `gs://bqx-staging/staging/default/${run.exportName}/${run.runId}.csv`,
      generation: '1764133200000000',
      byteSize: 2048,
      sha256,
      rowCount: 42,
      format: 'csv',
      compression: 'none',
    },
    lastExportedValue: '2026-11-26T04:59:59.5Z',
  }),
  empty: (run: RunFacts): ExportEventOf<'extract.empty'> => ({
    ...base(run, 'extract.empty', 5),
    type: 'extract.empty',
    mode: 'incremental',
    window: windowOf(run),
    startedAt: instant(run, 0),
  }),
  skipped: (run: RunFacts): ExportEventOf<'extract.skipped'> => ({
    ...base(run, 'extract.skipped', 1),
    type: 'extract.skipped',
    reason: 'busy',
    leaseHolderRunId: 'run-other',
  }),
  extractFailed: (run: RunFacts, retryable = false, attempt = 1): ExportEventOf<'extract.failed'> => ({
    ...base(run, 'extract.failed', 3, String(attempt)),
    type: 'extract.failed',
    attempt,
    mode: 'incremental',
    window: windowOf(run),
    startedAt: instant(run, 0),
    error: { code: 'BIGQUERY_QUERY_FAILED', message: 'query failed: table not found', retryable },
  }),
  delivered: (run: RunFacts): ExportEventOf<'upload.delivered'> => ({
    ...base(run, 'upload.delivered', 30),
    type: 'upload.delivered',
    attempt: 1,
    ...delivery(run),
    startedAt: instant(run, 20),
    durationMs: 1500,
  }),
  duplicate: (run: RunFacts): ExportEventOf<'upload.duplicate'> => ({
    ...base(run, 'upload.duplicate', 40),
    type: 'upload.duplicate',
    ...delivery(run),
    original: { deliveredAt: instant(run, 30), runId: run.runId },
  }),
  uploadFailed: (run: RunFacts, retryable = false, attempt = 1): ExportEventOf<'upload.failed'> => ({
    ...base(run, 'upload.failed', 25, String(attempt)),
    type: 'upload.failed',
    attempt,
    destination: 'default',
    fileName: FILE_NAME,
    remoteDirectory: '/To_Verite',
    fileEventId: fileEventId(run),
    error: { code: 'SFTP_AUTH_FAILED', message: 'authentication failed for user partner', retryable },
  }),
} as const;

/** Every event kind of one run, in lifecycle order (notifications excluded). */
export function allRunEvents(run: RunFacts): ExportEvent[] {
  return [
    events.started(run),
    events.staged(run),
    events.uploadFailed(run, true, 1),
    events.delivered(run),
    events.duplicate(run),
  ];
}
