import type { ExportQuery, ExportQuerySettings, TimestampParameter } from './export-query.js';
import { parseTableReference, quoteColumn, quoteTable } from './identifier.js';
import { formatInstant, MICROS_PER_SECOND, type Micros } from './instant.js';
import type { ExportWindow } from './window.js';

const DAY_SECONDS = 24n * 3600n;

/** How far below the window the late-row count looks: 7 days of `timestamp_column`. */
export const LATE_ROWS_HORIZON_MICROS = 7n * DAY_SECONDS * MICROS_PER_SECOND;

/**
 * How old the previous snapshot may be for the count to read it: BigQuery's time travel reaches
 * 7 days back (less if the dataset's `max_time_travel_hours` says so; then the query fails and
 * the count is unknown too), minus an hour so the query never races the limit.
 */
export const LATE_ROWS_MAX_SNAPSHOT_AGE_MICROS = (7n * DAY_SECONDS - 3600n) * MICROS_PER_SECOND;

/** Why a run's late-row count is unknown (`late_rows` is NULL). */
export type LateRowsReason =
  /** The checkpoint has no committed snapshot: the first run, or one written before the count. */
  | 'no_previous_snapshot'
  /** The previous run's snapshot is older than BigQuery's time travel reaches. */
  | 'previous_snapshot_expired'
  /** The count query failed (logged with its error code); the export itself went on. */
  | 'count_failed';

/**
 * What a run does about rows that arrived below the watermark since the previous committed run
 * (late rows: their `timestamp_column` is below the window, so no window will ever read them):
 * count them with `query`, or report the count unknown for `reason`.
 */
export type LateRowsPlan =
  | { readonly kind: 'count'; readonly query: ExportQuery }
  | { readonly kind: 'known'; readonly lateRows: number }
  | { readonly kind: 'unknown'; readonly reason: LateRowsReason };

export interface LateRowsRequest {
  /** The run's own snapshot (its query reads the table as of this time). */
  readonly snapshot: Micros;
  /** The snapshot of the previous committed incremental run; null when the checkpoint has none. */
  readonly previousSnapshot: Micros | null;
  /** Now, when the count runs (time travel is measured from it). */
  readonly now: Micros;
}

/**
 * Plans the late-row count of an incremental run; `undefined` for a full or backfill run, which
 * reads no watermark. Rows are late when they are below `scanLow` (the run reads `[scanLow,
 * high)`: rows of a lookback margin are read again, so they are not lost) and were not in the
 * table at the previous run's snapshot. The query counts rows in `[scanLow − 7 days, scanLow)`
 * as of the run's snapshot and as of the previous one; the difference is the count. It is net:
 * rows deleted (or moved out) below the watermark since then count against it, so it is the
 * least number of late rows, negative when deletions outnumber them.
 */
export function planLateRowsCount(
  settings: Pick<ExportQuerySettings, 'source_table' | 'timestamp_column'>,
  window: ExportWindow,
  request: LateRowsRequest,
): LateRowsPlan | undefined {
  if (window.mode !== 'incremental' || settings.timestamp_column === undefined) return undefined;
  if (request.previousSnapshot === null) return { kind: 'unknown', reason: 'no_previous_snapshot' };
  if (request.now - request.previousSnapshot > LATE_ROWS_MAX_SNAPSHOT_AGE_MICROS) {
    return { kind: 'unknown', reason: 'previous_snapshot_expired' };
  }
  // Unbounded below: nothing is below the window, so nothing can be late.
  if (window.scanLow === null) return { kind: 'known', lateRows: 0 };
  const table = quoteTable(parseTableReference(settings.source_table));
  const ts = quoteColumn(settings.timestamp_column, 'timestamp_column');
  const count = (name: string, at: string): string =>
    `(SELECT COUNT(*) AS n FROM ${table} FOR SYSTEM_TIME AS OF @${at} WHERE ${ts} >= @horizon AND ${ts} < @below) AS ${name}`;
  const params: Record<string, TimestampParameter> = {
    snapshot: { value: formatInstant(request.snapshot) },
    previous: { value: formatInstant(request.previousSnapshot) },
    horizon: { value: formatInstant(window.scanLow - LATE_ROWS_HORIZON_MICROS) },
    below: { value: formatInstant(window.scanLow) },
  };
  const sql = [
    'SELECT now_rows.n - then_rows.n AS late_rows',
    `FROM ${count('now_rows', 'snapshot')}`,
    `CROSS JOIN ${count('then_rows', 'previous')}`,
  ].join('\n');
  const types = Object.fromEntries(Object.keys(params).map((name) => [name, 'TIMESTAMP' as const]));
  return { kind: 'count', query: { sql, params, types } };
}

/** Whether a failed count query failed because the snapshot is out of time travel's reach. */
export function isTimeTravelLimit(message: string): boolean {
  return /invalid snapshot time|cannot read before|time travel/i.test(message);
}
