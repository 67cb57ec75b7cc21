import { DomainError } from './domain-error.js';
import { formatInstant, type Micros } from './instant.js';
import type { ExportWindow } from './window.js';
import { assertTimeZone, zonedFields } from './zoned-time.js';

export interface FileNameContext {
  readonly exportName: string;
  readonly runId: string;
  readonly window: ExportWindow;
  /** IANA time zone for the date and time placeholders; default `UTC`. */
  readonly timeZone?: string | undefined;
}

/**
 * Renders a destination file name template (the seed's `destination_filename`).
 *
 * All date and time placeholders render the run's window, never the wall clock, so a rerun of
 * the same window renders the same name (unless the template holds `{run_id}`). Times are
 * wall-clock times in `timeZone`, 24-hour, zero-padded, truncated to whole seconds.
 *
 * | placeholder      | renders                                         | example (America/Chicago)  |
 * | ---------------- | ----------------------------------------------- | -------------------------- |
 * | `{datetime}`     | window end, `YYYYMMDD_HHMMSS` (the seed's)      | `20260101_180000`          |
 * | `{date}`         | window end, `YYYYMMDD`                          | `20260101`                 |
 * | `{time}`         | window end, `HHMMSS`                            | `180000`                   |
 * | `{window_start}` | window start, `YYYYMMDDTHHMMSS`; `00010101T000000` when unbounded | `20251231T180000` |
 * | `{window_end}`   | window end (exclusive), `YYYYMMDDTHHMMSS`       | `20260101T180000`          |
 * | `{export}`       | the export's name                               | `shopify_customers`        |
 * | `{run_id}`       | the run id                                      | `r-2b7c…`                  |
 *
 * `{datetime}` follows what the seed's Python function most plausibly produced
 * (`strftime('%Y%m%d_%H%M%S')`). An unknown placeholder or a stray brace is an error, and the
 * result must be a plain file name: no `/`, `\`, `..`, control characters, not `.`.
 */
export function renderFileName(template: string, context: FileNameContext): string {
  const timeZone = context.timeZone ?? 'UTC';
  assertTimeZone(timeZone);
  const end = compact(context.window.high, timeZone);
  const start =
    context.window.low === null
      ? { date: '00010101', time: '000000' }
      : compact(context.window.low, timeZone);
  const values: Readonly<Record<string, string>> = {
    datetime: `${end.date}_${end.time}`,
    date: end.date,
    time: end.time,
    window_start: `${start.date}T${start.time}`,
    window_end: `${end.date}T${end.time}`,
    export: context.exportName,
    run_id: context.runId,
  };
  const rendered = template.replace(/\{([^{}]*)\}/g, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) {
      throw new DomainError(
        'FILE_NAME_INVALID',
        `destination_filename uses an unknown placeholder`,
        'destination_filename',
      );
    }
    return value;
  });
  if (/[{}]/.test(rendered)) {
    throw new DomainError(
      'FILE_NAME_INVALID',
      'destination_filename has an unmatched brace',
      'destination_filename',
    );
  }
  assertPlainFileName(rendered, 'destination_filename');
  return rendered;
}

export type StagedFormat = 'csv' | 'parquet';
export type StagedCompression = 'none' | 'gzip';

/**
 * The Cloud Storage object a window is staged to:
 * `<prefix>/<export>/<mode>/<low>_<high>.<format>[.gz]`, bounds at full microsecond precision
 * in UTC (`20260101T000000000000Z`, `min` when unbounded). Deterministic per window, so a rerun
 * after a crash finds the object it already wrote.
 */
export function stagingObjectName(
  prefix: string,
  exportName: string,
  window: ExportWindow,
  format: StagedFormat,
  compression: StagedCompression,
): string {
  const segments = prefix.split('/').filter((segment) => segment !== '');
  for (const segment of segments) assertPlainFileName(segment, 'staging_prefix');
  assertPlainFileName(exportName, 'name');
  const low = window.low === null ? 'min' : objectInstant(window.low);
  const name = `${low}_${objectInstant(window.high)}.${format}${compression === 'gzip' ? '.gz' : ''}`;
  return [...segments, exportName, window.mode, name].join('/');
}

/** Throws unless `name` is a single path segment that cannot escape its directory. */
export function assertPlainFileName(name: string, field: string): void {
  // eslint-disable-next-line no-control-regex
  if (name === '' || name === '.' || /[/\\\u0000-\u001f\u007f]|\.\./.test(name)) {
    throw new DomainError(
      'FILE_NAME_INVALID',
      `${field} must render a plain file name (no "/", "\\", "..", control characters)`,
      field,
    );
  }
}

function compact(micros: Micros, timeZone: string): { date: string; time: string } {
  const f = zonedFields(micros, timeZone);
  return { date: `${f.year}${f.month}${f.day}`, time: `${f.hour}${f.minute}${f.second}` };
}

function objectInstant(micros: Micros): string {
  const iso = formatInstant(micros); // 2026-01-01T00:00:00.000000Z
  return iso.replace(/[-:.]/g, '');
}
