import type { BigQuery } from '@google-cloud/bigquery';

/** One row of the `<metadata_table>_events` view, the columns the demo shows. */
export interface HistoryRow {
  readonly run_id: string | null;
  readonly export_name: string;
  readonly event_type: string | null;
  readonly export_status: string;
  readonly rows_exported: number | null;
  readonly file_name: string | null;
  readonly remote_path: string | null;
  readonly resend_id: string | null;
  readonly notification_channel: string | null;
  readonly occurred_at: string | null;
}

const COLUMNS = [
  'run_id',
  'export_name',
  'event_type',
  'export_status',
  'rows_exported',
  'file_name',
  'remote_path',
  'resend_id',
  'notification_channel',
  'occurred_at',
] as const;

/** BigQuery gives timestamps as `{ value }` and INT64 as strings or numbers; make them plain. */
function plain(row: Record<string, unknown>): HistoryRow {
  const out: Record<string, unknown> = {};
  for (const column of COLUMNS) {
    const value = row[column];
    if (value !== null && typeof value === 'object' && 'value' in value) out[column] = String(value.value);
    else if (column === 'rows_exported' && value !== null && value !== undefined) out[column] = Number(value);
    else out[column] = value ?? null;
  }
  return out as unknown as HistoryRow;
}

/**
 * The config's history, one row per event, oldest first, from the `_events` view that
 * tracker-notifier keeps over its table. Empty while the view does not exist yet.
 */
export async function queryHistory(
  bigquery: BigQuery,
  metadataTable: string,
  configName: string,
): Promise<HistoryRow[]> {
  // metadata_table is a validated identifier ([project.]dataset.table); the config name is a parameter.
  const query =
    `SELECT ${COLUMNS.join(', ')} FROM \`${metadataTable}_events\`` +
    ' WHERE config_name = @config ORDER BY occurred_at, recorded_at';
  try {
    const [rows] = await bigquery.query({ query, params: { config: configName } });
    return (rows as Record<string, unknown>[]).map(plain);
  } catch (error) {
    if ((error as { code?: unknown }).code === 404) return [];
    throw error;
  }
}
