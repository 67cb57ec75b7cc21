import type { ExportEvent, ExportWindow } from '@bq-sftp-export/contracts';

import { isFinalFailure } from './final-failure.js';

/** One row of the history table (see `HISTORY_COLUMNS`); timestamps are ISO-8601 instants. */
export interface HistoryRow {
  readonly export_name: string;
  readonly source_table: string;
  readonly last_export_timestamp: string | null;
  readonly last_exported_value: string | null;
  readonly rows_exported: number | null;
  readonly file_name: string | null;
  readonly export_status: ExportStatus;
  readonly started_at: string | null;
  readonly completed_at: string | null;
  readonly error_message: string | null;
  readonly run_id: string;
  readonly event_id: string;
  readonly event_type: string;
  readonly config_name: string;
  readonly occurred_at: string;
  readonly mode: string | null;
  readonly window_low: string | null;
  readonly window_high: string | null;
  readonly destination: string | null;
  readonly byte_size: number | null;
  readonly sha256: string | null;
  readonly staged_uri: string | null;
  readonly remote_path: string | null;
  readonly attempt: number | null;
  readonly resend_id: string | null;
  readonly duration_ms: number | null;
  readonly error_code: string | null;
  readonly error_retryable: boolean | null;
  readonly notification_channel: string | null;
  readonly notification_outcome: string | null;
  readonly recorded_at: string;
  readonly late_rows: number | null;
}

/**
 * `export_status`: `running` (extract started), `staged` (file staged, not yet delivered),
 * `success` (delivered, or an empty window with nothing to deliver), `duplicate` (a redelivered
 * file already on the server), `skipped` (another run held the lease), `retrying` (a step failed
 * and will be tried again), `failed` (a step failed for good), `notified`,
 * `notification_failed`.
 */
export type ExportStatus =
  | 'running'
  | 'staged'
  | 'success'
  | 'duplicate'
  | 'skipped'
  | 'retrying'
  | 'failed'
  | 'notified'
  | 'notification_failed';

type Figures = Partial<Omit<HistoryRow, 'export_status'>> & { readonly export_status: ExportStatus };

function windowFigures(window: ExportWindow | undefined): Partial<HistoryRow> {
  if (window === undefined) return {};
  return {
    window_low: window.low ?? null,
    window_high: window.high,
    last_export_timestamp: window.high,
  };
}

function elapsedMs(from: string, to: string): number {
  return Math.max(0, Date.parse(to) - Date.parse(from));
}

/** What each event kind adds to its row; the compiler insists on a case for every kind. */
function figuresOf(event: ExportEvent): Figures {
  switch (event.type) {
    case 'extract.started':
      return {
        ...windowFigures(event.window),
        export_status: 'running',
        mode: event.mode,
        started_at: event.occurredAt,
      };
    case 'extract.staged':
      return {
        ...windowFigures(event.window),
        export_status: 'staged',
        mode: event.mode,
        started_at: event.startedAt,
        completed_at: event.occurredAt,
        last_exported_value: event.lastExportedValue ?? null,
        late_rows: event.lateRows ?? null,
        rows_exported: event.file.rowCount,
        file_name: event.file.fileName,
        byte_size: event.file.byteSize,
        sha256: event.file.sha256,
        staged_uri: `${event.file.gcsUri}#${event.file.generation}`,
      };
    case 'extract.empty':
      return {
        ...windowFigures(event.window),
        export_status: 'success',
        mode: event.mode,
        started_at: event.startedAt,
        completed_at: event.occurredAt,
        rows_exported: 0,
        late_rows: event.lateRows ?? null,
        duration_ms: elapsedMs(event.startedAt, event.occurredAt),
      };
    case 'extract.skipped':
      return {
        export_status: 'skipped',
        completed_at: event.occurredAt,
        error_message: 'another run of this export holds its lease',
      };
    case 'extract.failed':
      return {
        ...windowFigures(event.window),
        export_status: isFinalFailure(event) ? 'failed' : 'retrying',
        mode: event.mode ?? null,
        started_at: event.startedAt ?? null,
        completed_at: event.occurredAt,
        error_message: event.error.message,
        error_code: event.error.code,
        error_retryable: event.error.retryable,
      };
    case 'upload.delivered':
    case 'upload.duplicate':
      return {
        ...windowFigures(event.window),
        export_status: event.type === 'upload.delivered' ? 'success' : 'duplicate',
        completed_at: event.occurredAt,
        rows_exported: event.rowCount ?? null,
        last_exported_value: event.lastExportedValue ?? null,
        file_name: event.fileName,
        destination: event.destination,
        remote_path: event.remotePath,
        byte_size: event.byteSize,
        sha256: event.sha256,
        ...(event.type === 'upload.delivered'
          ? { started_at: event.startedAt, duration_ms: event.durationMs, resend_id: event.resendId ?? null }
          : { resend_id: event.original.resendId ?? null }),
      };
    case 'upload.failed':
      return {
        export_status: isFinalFailure(event) ? 'failed' : 'retrying',
        completed_at: event.occurredAt,
        file_name: event.fileName,
        destination: event.destination,
        remote_path: `${event.remoteDirectory.replace(/\/+$/, '')}/${event.fileName}`,
        resend_id: event.resendId ?? null,
        error_message: event.error.message,
        error_code: event.error.code,
        error_retryable: event.error.retryable,
      };
    case 'notification.sent':
    case 'notification.failed':
      return {
        export_status: event.type === 'notification.sent' ? 'notified' : 'notification_failed',
        completed_at: event.occurredAt,
        notification_channel: event.channel,
        notification_outcome: event.outcome,
        ...(event.type === 'notification.failed'
          ? {
              error_message: event.error.message,
              error_code: event.error.code,
              error_retryable: event.error.retryable,
            }
          : {}),
      };
  }
}

const EMPTY_ROW: Omit<
  HistoryRow,
  | 'export_name'
  | 'source_table'
  | 'export_status'
  | 'run_id'
  | 'event_id'
  | 'event_type'
  | 'config_name'
  | 'occurred_at'
  | 'recorded_at'
> = {
  last_export_timestamp: null,
  last_exported_value: null,
  rows_exported: null,
  file_name: null,
  started_at: null,
  completed_at: null,
  error_message: null,
  mode: null,
  window_low: null,
  window_high: null,
  destination: null,
  byte_size: null,
  sha256: null,
  staged_uri: null,
  remote_path: null,
  attempt: null,
  resend_id: null,
  duration_ms: null,
  error_code: null,
  error_retryable: null,
  notification_channel: null,
  notification_outcome: null,
  late_rows: null,
};

/** The history row of one event: every column present, NULL where the event has no such fact. */
export function historyRowOf(event: ExportEvent, recordedAt: Date): HistoryRow {
  return Object.freeze({
    ...EMPTY_ROW,
    export_name: event.exportName,
    source_table: event.sourceTable,
    run_id: event.runId,
    event_id: event.eventId,
    event_type: event.type,
    config_name: event.configName,
    occurred_at: event.occurredAt,
    attempt: event.attempt ?? null,
    recorded_at: recordedAt.toISOString(),
    ...figuresOf(event),
  });
}
