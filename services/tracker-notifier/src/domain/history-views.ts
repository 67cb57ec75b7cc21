import type { HistoryTable } from './history-table.js';
import { qualifiedName } from './history-table.js';

/** A view over the history table: its name suffix and its GoogleSQL query. */
export interface HistoryView {
  /** Appended to the table's name: `export_metadata_runs`. */
  readonly suffix: '_events' | '_runs' | '_exports';
  readonly description: string;
  readonly query: string;
}

/**
 * One row per event: an event written twice (a redelivery beyond insertAll's de-duplication
 * window) counts once. Rows the seed function wrote have no event_id and are all kept.
 */
function eventsView(table: HistoryTable): HistoryView {
  return {
    suffix: '_events',
    description: 'History rows, one per event_id.',
    query: `SELECT *
FROM ${qualifiedName(table)}
WHERE TRUE
QUALIFY event_id IS NULL
  OR ROW_NUMBER() OVER (PARTITION BY event_id ORDER BY recorded_at, occurred_at) = 1`,
  };
}

/**
 * The latest state of every run: the status of its last event (a redelivered file's
 * `upload.duplicate` and notification rows do not change it) with the run's figures.
 */
function runsView(table: HistoryTable): HistoryView {
  const run = 'OVER (PARTITION BY config_name, export_name, run_id)';
  return {
    suffix: '_runs',
    description: 'Latest state per run.',
    query: `SELECT
  config_name,
  export_name,
  source_table,
  run_id,
  export_status,
  event_type AS last_event_type,
  occurred_at AS last_event_at,
  error_code,
  error_message,
  MAX(mode) ${run} AS mode,
  MIN(window_low) ${run} AS window_low,
  MAX(window_high) ${run} AS window_high,
  MAX(last_export_timestamp) ${run} AS last_export_timestamp,
  MAX(last_exported_value) ${run} AS last_exported_value,
  MAX(late_rows) ${run} AS late_rows,
  MAX(rows_exported) ${run} AS rows_exported,
  MAX(file_name) ${run} AS file_name,
  MAX(byte_size) ${run} AS byte_size,
  MAX(sha256) ${run} AS sha256,
  MAX(remote_path) ${run} AS remote_path,
  MAX(attempt) ${run} AS attempts,
  MIN(started_at) ${run} AS started_at,
  completed_at,
  MAX(CASE WHEN event_type = 'upload.delivered' THEN occurred_at END) ${run} AS delivered_at
FROM ${qualifiedName(table, '_events')}
WHERE run_id IS NOT NULL
  AND event_type NOT IN ('upload.duplicate', 'notification.sent', 'notification.failed')
QUALIFY ROW_NUMBER() OVER (
  PARTITION BY config_name, export_name, run_id
  ORDER BY occurred_at DESC, recorded_at DESC, event_id DESC
) = 1`,
  };
}

/**
 * The latest state of every export: its last run, its last successful run (the watermark:
 * `last_export_timestamp` is that window's high bound) and its last delivered file.
 */
function exportsView(table: HistoryTable): HistoryView {
  const perExport = 'PARTITION BY config_name, export_name';
  return {
    suffix: '_exports',
    description: 'Latest state per export: last run, last success (watermark), last delivered file.',
    query: `WITH runs AS (
  SELECT * FROM ${qualifiedName(table, '_runs')}
),
latest AS (
  SELECT * FROM runs
  WHERE TRUE
  QUALIFY ROW_NUMBER() OVER (${perExport} ORDER BY last_event_at DESC, run_id DESC) = 1
),
succeeded AS (
  SELECT * FROM runs
  WHERE export_status = 'success'
  QUALIFY ROW_NUMBER() OVER (${perExport} ORDER BY last_export_timestamp DESC, last_event_at DESC) = 1
),
delivered AS (
  SELECT * FROM runs
  WHERE export_status = 'success' AND delivered_at IS NOT NULL
  QUALIFY ROW_NUMBER() OVER (${perExport} ORDER BY delivered_at DESC, run_id DESC) = 1
)
SELECT
  latest.config_name AS config_name,
  latest.export_name AS export_name,
  latest.source_table AS source_table,
  latest.run_id AS last_run_id,
  latest.export_status AS last_run_status,
  latest.last_event_at AS last_run_at,
  latest.error_code AS last_error_code,
  latest.error_message AS last_error_message,
  succeeded.run_id AS last_success_run_id,
  succeeded.completed_at AS last_success_at,
  succeeded.last_export_timestamp AS last_export_timestamp,
  delivered.last_exported_value AS last_exported_value,
  delivered.run_id AS last_delivered_run_id,
  delivered.delivered_at AS last_delivered_at,
  delivered.rows_exported AS rows_exported,
  delivered.file_name AS file_name,
  delivered.byte_size AS byte_size,
  delivered.sha256 AS sha256,
  delivered.remote_path AS remote_path
FROM latest
LEFT JOIN succeeded
  ON succeeded.config_name = latest.config_name AND succeeded.export_name = latest.export_name
LEFT JOIN delivered
  ON delivered.config_name = latest.config_name AND delivered.export_name = latest.export_name`,
  };
}

/** The views over a history table, in creation order (each reads the one before). */
export function historyViews(table: HistoryTable): readonly HistoryView[] {
  return [eventsView(table), runsView(table), exportsView(table)];
}
