/** A column of the history table, as BigQuery's table schema states it. */
export interface HistoryColumn {
  readonly name: string;
  readonly type: 'STRING' | 'INT64' | 'TIMESTAMP' | 'BOOL';
  readonly mode: 'REQUIRED' | 'NULLABLE';
  readonly description: string;
}

const column = (
  name: string,
  type: HistoryColumn['type'],
  description: string,
  mode: HistoryColumn['mode'] = 'NULLABLE',
): HistoryColumn => Object.freeze({ name, type, mode, description });

/**
 * The history table: the seed's metadata columns first, with their names and meaning, then the
 * facts every event adds. New columns only ever go at the end, NULLABLE, so an existing seed
 * table is extended in place.
 */
export const HISTORY_COLUMNS: readonly HistoryColumn[] = Object.freeze([
  column('export_name', 'STRING', 'The export (config `exports[].name`).', 'REQUIRED'),
  column('source_table', 'STRING', 'The BigQuery table exported, `[project.]dataset.table`.', 'REQUIRED'),
  column(
    'last_export_timestamp',
    'TIMESTAMP',
    "The watermark the run moves the export to: its window's high bound (exclusive).",
  ),
  column('last_exported_value', 'STRING', 'The highest `timestamp_column` value in the file.'),
  column('rows_exported', 'INT64', 'Rows in the file (0 for an empty window).'),
  column('file_name', 'STRING', "The file's final name on the partner's server."),
  column('export_status', 'STRING', 'What the row says about the run (see the README).'),
  column(
    'started_at',
    'TIMESTAMP',
    'When the step began: the run for extract rows, the attempt for uploads.',
  ),
  column('completed_at', 'TIMESTAMP', 'When the step ended; NULL for extract.started.'),
  column('error_message', 'STRING', 'Why the step failed; never a row value or a secret.'),
  column('run_id', 'STRING', 'The run: one export, one window, one file.'),
  column('event_id', 'STRING', 'The event (UUID); the views keep one row per event_id.'),
  column('event_type', 'STRING', 'The event, e.g. `upload.delivered`.'),
  column('config_name', 'STRING', 'The config the export belongs to.'),
  column('occurred_at', 'TIMESTAMP', 'When the event happened.'),
  column('mode', 'STRING', '`incremental` or `full`.'),
  column('window_low', 'TIMESTAMP', 'Window low bound (inclusive); NULL: from the beginning.'),
  column('window_high', 'TIMESTAMP', 'Window high bound (exclusive).'),
  column('destination', 'STRING', 'The SFTP destination name.'),
  column('byte_size', 'INT64', 'Size of the file in bytes.'),
  column('sha256', 'STRING', "SHA-256 of the file's bytes, hex."),
  column('staged_uri', 'STRING', 'The staged object, `gs://bucket/name#generation`.'),
  column('remote_path', 'STRING', 'Path on the partner server (the intended one for a failure).'),
  column('attempt', 'INT64', 'Delivery attempt of the step (1 = first).'),
  column('resend_id', 'STRING', 'Set when the delivery is an operator resend.'),
  column('duration_ms', 'INT64', 'Duration of the upload, or of the extract for an empty window.'),
  column('error_code', 'STRING', 'Stable error code, e.g. `SFTP_AUTH_FAILED`.'),
  column('error_retryable', 'BOOL', 'Whether the failed step will be tried again.'),
  column('notification_channel', 'STRING', '`email` or `slack` (notification rows).'),
  column('notification_outcome', 'STRING', '`success`, `failure` or `recovery` (notification rows).'),
  column('recorded_at', 'TIMESTAMP', 'When tracker-notifier wrote the row.'),
  column(
    'late_rows',
    'INT64',
    'Rows that arrived below the watermark since the previous run (never exported); NULL: unknown.',
  ),
]);
