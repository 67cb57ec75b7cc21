import type { ExportConfig } from '@bq-sftp-export/config';

import type { LazyClients } from '../cli/lazy-clients.js';
import { plain, queryHistoryView } from '../history/query-history.js';
import { asText } from './html.js';

/** One run, as the `<table>_runs` view has it (figures only: never a row value). */
export interface RunPoint {
  readonly exportName: string;
  readonly runId: string;
  readonly status: string;
  readonly lastEventType: string;
  readonly lastEventAt: string;
  readonly startedAt?: string;
  readonly completedAt?: string;
  readonly rows?: number;
  readonly bytes?: number;
  readonly errorCode?: string;
  readonly fileName?: string;
}

/** A failed step (extract, upload or notification) from the `<table>_events` view. */
export interface FailureEvent {
  readonly occurredAt: string;
  readonly exportName: string;
  readonly runId?: string;
  readonly eventType: string;
  readonly status: string;
  readonly errorCode?: string;
  readonly errorMessage?: string;
  readonly attempt?: number;
}

/** An export's latest state from the `<table>_exports` view. */
export interface ExportState {
  readonly exportName: string;
  readonly sourceTable?: string;
  readonly lastRunStatus?: string;
  readonly lastRunAt?: string;
  readonly lastErrorCode?: string;
  readonly lastSuccessAt?: string;
  readonly lastExportTimestamp?: string;
  readonly lastDeliveredAt?: string;
  readonly rows?: number;
  readonly bytes?: number;
  readonly fileName?: string;
  readonly remotePath?: string;
  readonly sha256?: string;
}

/** What the dashboard shows: one config's history since `since`, read at `readAt`. */
export interface HistorySnapshot {
  readonly configName: string;
  readonly historyTable: string;
  readonly readAt: string;
  readonly since: string;
  /** The config's exports, in config order (an export with no history still gets a row). */
  readonly configuredExports: readonly string[];
  /** Newest first, at most the limit asked for. */
  readonly runs: readonly RunPoint[];
  readonly failures: readonly FailureEvent[];
  readonly exports: readonly ExportState[];
}

export interface SnapshotOptions {
  readonly since: Date;
  readonly limit: number;
  readonly now: Date;
}

function text(value: unknown): string | undefined {
  const plainValue = plain(value);
  if (plainValue === null || plainValue === undefined) return undefined;
  return asText(plainValue);
}

function count(value: unknown): number | undefined {
  const plainValue = plain(value);
  if (plainValue === null || plainValue === undefined) return undefined;
  const parsed = Number(plainValue);
  return Number.isFinite(parsed) ? parsed : undefined;
}

/** Drops the undefined fields, so an absent column is absent rather than `undefined`. */
function defined<T extends object>(record: { readonly [K in keyof T]-?: T[K] | undefined }): T {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as T;
}

const FAILURE_EVENTS = "('extract.failed', 'upload.failed', 'notification.failed')";

/**
 * Reads one config's history from the three views tracker-notifier keeps (`<metadata_table>_runs`,
 * `_events`, `_exports`). Only figures, statuses, names and error codes/messages are selected:
 * `last_exported_value` (a row value) never is. A missing view is `HISTORY_NOT_FOUND`.
 */
export async function readHistorySnapshot(
  clients: LazyClients,
  config: ExportConfig,
  options: SnapshotOptions,
): Promise<HistorySnapshot> {
  const table = config.metadataTable;
  const params = { config: config.name, since: options.since };
  // metadata_table is a validated identifier ([project.]dataset.table); values are parameters.
  const runRows = await queryHistoryView(
    clients,
    `${table}_runs`,
    'SELECT export_name, run_id, export_status, last_event_type, last_event_at, started_at, completed_at,' +
      ' rows_exported, byte_size, error_code, file_name' +
      ` FROM \`${table}_runs\` WHERE config_name = @config AND last_event_at >= @since` +
      ` ORDER BY last_event_at DESC, run_id DESC LIMIT ${options.limit}`,
    params,
  );
  const failureRows = await queryHistoryView(
    clients,
    `${table}_events`,
    'SELECT occurred_at, export_name, run_id, event_type, export_status, error_code, error_message, attempt' +
      ` FROM \`${table}_events\` WHERE config_name = @config AND event_type IN ${FAILURE_EVENTS}` +
      ` AND occurred_at >= @since ORDER BY occurred_at DESC, event_id DESC LIMIT ${options.limit}`,
    params,
  );
  const exportRows = await queryHistoryView(
    clients,
    `${table}_exports`,
    'SELECT export_name, source_table, last_run_status, last_run_at, last_error_code, last_success_at,' +
      ' last_export_timestamp, last_delivered_at, rows_exported, byte_size, file_name, remote_path, sha256' +
      ` FROM \`${table}_exports\` WHERE config_name = @config ORDER BY export_name`,
    { config: config.name },
  );
  return {
    configName: config.name,
    historyTable: table,
    readAt: options.now.toISOString(),
    since: options.since.toISOString(),
    configuredExports: config.exports.map((entry) => entry.name),
    runs: runRows.map((row) =>
      defined<RunPoint>({
        exportName: text(row['export_name']) ?? '',
        runId: text(row['run_id']) ?? '',
        status: text(row['export_status']) ?? '',
        lastEventType: text(row['last_event_type']) ?? '',
        lastEventAt: text(row['last_event_at']) ?? '',
        startedAt: text(row['started_at']),
        completedAt: text(row['completed_at']),
        rows: count(row['rows_exported']),
        bytes: count(row['byte_size']),
        errorCode: text(row['error_code']),
        fileName: text(row['file_name']),
      }),
    ),
    failures: failureRows.map((row) =>
      defined<FailureEvent>({
        occurredAt: text(row['occurred_at']) ?? '',
        exportName: text(row['export_name']) ?? '',
        runId: text(row['run_id']),
        eventType: text(row['event_type']) ?? '',
        status: text(row['export_status']) ?? '',
        errorCode: text(row['error_code']),
        errorMessage: text(row['error_message']),
        attempt: count(row['attempt']),
      }),
    ),
    exports: exportRows.map((row) =>
      defined<ExportState>({
        exportName: text(row['export_name']) ?? '',
        sourceTable: text(row['source_table']),
        lastRunStatus: text(row['last_run_status']),
        lastRunAt: text(row['last_run_at']),
        lastErrorCode: text(row['last_error_code']),
        lastSuccessAt: text(row['last_success_at']),
        lastExportTimestamp: text(row['last_export_timestamp']),
        lastDeliveredAt: text(row['last_delivered_at']),
        rows: count(row['rows_exported']),
        bytes: count(row['byte_size']),
        fileName: text(row['file_name']),
        remotePath: text(row['remote_path']),
        sha256: text(row['sha256']),
      }),
    ),
  };
}
