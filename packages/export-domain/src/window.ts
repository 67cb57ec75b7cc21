import { DomainError } from './domain-error.js';
import { MICROS_PER_SECOND, parseInstant, type Micros } from './instant.js';

export type ExportMode = 'incremental' | 'full' | 'backfill';

/**
 * The window settings of one export, in the seed config's snake_case. `incremental` and
 * `timestamp_column` are the seed's own fields; the rest are extensions with safe defaults.
 */
export interface WindowSettings {
  readonly incremental: boolean;
  readonly timestamp_column?: string | undefined;
  /** Rows newer than `now − settle_delay_seconds` wait for the next run (late commits). Default 0. */
  readonly settle_delay_seconds?: number | undefined;
  /** Re-read this margin below `low` (de-duplicated on a key by the query). Default 0. */
  readonly lookback_seconds?: number | undefined;
  /** First incremental run starts here (ISO 8601) instead of at the beginning of the table. */
  readonly start_at?: string | undefined;
}

export interface WindowRequest {
  /** The run's start, fixed once: every bound of the run derives from it. */
  readonly now: Micros;
  /** The checkpoint's `high` (exclusive bound of the last committed window), if any. */
  readonly checkpointHigh: Micros | null;
  /** `full` forces a full export of an incremental table. */
  readonly mode?: 'incremental' | 'full' | undefined;
  /** An explicit `[from, to)` window; never moves the checkpoint. */
  readonly backfill?: { readonly from: Micros; readonly to: Micros } | undefined;
}

/**
 * A half-open window `[low, high)` over the timestamp column. `low === null` is unbounded
 * below. `scanLow` is where the query starts reading: `low − lookback` after a checkpoint (rows
 * of the margin are read again and de-duplicated on a key), otherwise equal to `low` (the first
 * window starts exactly at `start_at`).
 */
export interface ExportWindow {
  readonly mode: ExportMode;
  readonly low: Micros | null;
  readonly high: Micros;
  readonly scanLow: Micros | null;
}

/** Fixes a run's window once, at run start. */
export function planWindow(settings: WindowSettings, request: WindowRequest): ExportWindow {
  const settle = seconds(settings.settle_delay_seconds, 'settle_delay_seconds');
  const lookback = seconds(settings.lookback_seconds, 'lookback_seconds');
  const hasTimestamp = settings.timestamp_column !== undefined;

  if (request.backfill !== undefined) {
    if (!hasTimestamp) {
      throw new DomainError('WINDOW_INVALID', 'a backfill needs a timestamp_column', 'timestamp_column');
    }
    const { from, to } = request.backfill;
    if (from > to) throw new DomainError('WINDOW_INVALID', 'backfill "from" is after "to"', 'backfill');
    return { mode: 'backfill', low: from, high: to, scanLow: from };
  }

  const high = request.now - settle;
  if (!settings.incremental || request.mode === 'full') {
    return { mode: 'full', low: null, high, scanLow: null };
  }
  if (!hasTimestamp) {
    throw new DomainError(
      'WINDOW_INVALID',
      'an incremental export needs a timestamp_column',
      'timestamp_column',
    );
  }
  if (request.checkpointHigh === null) {
    // The first window: `start_at` is its lower bound, with no margin below it (nothing before
    // `start_at` was ever delivered, so there is nothing to read again).
    const low = settings.start_at === undefined ? null : parseInstant(settings.start_at, 'start_at');
    return { mode: 'incremental', low, high, scanLow: low };
  }
  const low = request.checkpointHigh;
  const scanLow = low - lookback;
  return { mode: 'incremental', low, high, scanLow };
}

/** True when the window cannot hold a row (`low ≥ high`, e.g. a clock behind the checkpoint). */
export function isEmptyWindow(window: ExportWindow): boolean {
  return window.low !== null && window.low >= window.high;
}

/** Whether a row stamped `ts` belongs to the window: `low ≤ ts < high`. */
export function windowContains(window: ExportWindow, ts: Micros): boolean {
  return (window.low === null || ts >= window.low) && ts < window.high;
}

/** The checkpoint after a committed incremental run: never moves backwards. */
export function nextCheckpointHigh(window: ExportWindow, previous: Micros | null): Micros | null {
  if (window.mode !== 'incremental') return previous;
  return previous !== null && previous > window.high ? previous : window.high;
}

function seconds(value: number | undefined, field: string): Micros {
  if (value === undefined) return 0n;
  if (!Number.isInteger(value) || value < 0) {
    throw new DomainError('WINDOW_INVALID', `${field} must be a whole number of seconds ≥ 0`, field);
  }
  return BigInt(value) * MICROS_PER_SECOND;
}
