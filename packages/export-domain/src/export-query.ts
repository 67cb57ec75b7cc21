import { DomainError } from './domain-error.js';
import { parseTableReference, quoteColumn, quoteTable } from './identifier.js';
import { formatInstant, type Micros } from './instant.js';
import type { ExportWindow } from './window.js';

/** What the query needs from an export definition (the seed's snake_case fields). */
export interface ExportQuerySettings {
  readonly source_table: string;
  readonly columns: readonly string[];
  readonly timestamp_column?: string | undefined;
  /** Columns identifying a row; with a lookback, only the newest row per key is exported. */
  readonly dedupe_key?: readonly string[] | undefined;
}

/**
 * A TIMESTAMP query parameter value. `@google-cloud/bigquery` reads a TIMESTAMP parameter's
 * `.value` (as on its `BigQueryTimestamp`); a bare string is silently sent as no value at all,
 * so the domain hands over this shape, with six fraction digits.
 */
export interface TimestampParameter {
  readonly value: string;
}

/** Options for `bigquery.createQueryStream`: named parameters, each with its explicit type. */
export interface ExportQuery {
  readonly sql: string;
  readonly params: Readonly<Record<string, TimestampParameter>>;
  readonly types: Readonly<Record<string, 'TIMESTAMP'>>;
  /**
   * The query ends in `ORDER BY` (incremental and backfill windows, by the timestamp column), so
   * its rows must be read in the result's order: one Storage Read stream, not several.
   */
  readonly ordered?: boolean;
}

/**
 * Builds the run's query. Identifiers are validated and backtick-quoted; every value travels
 * as a typed named parameter. Every read of a run uses one snapshot (`FOR SYSTEM_TIME AS OF
 * @snapshot`); the window is `[@low, @high)` on the timestamp column (a full export keeps
 * `< @high` so rows committed after the run started wait for the next run).
 */
export function buildExportQuery(
  settings: ExportQuerySettings,
  window: ExportWindow,
  snapshot: Micros,
): ExportQuery {
  if (settings.columns.length === 0) {
    throw new DomainError('EXPORT_QUERY_INVALID', 'columns must name at least one column', 'columns');
  }
  const columns = settings.columns.map((name) => quoteColumn(name, 'columns'));
  if (new Set(settings.columns.map((name) => name.toLowerCase())).size !== columns.length) {
    throw new DomainError('EXPORT_QUERY_INVALID', 'columns must not repeat a column', 'columns');
  }
  const table = quoteTable(parseTableReference(settings.source_table));
  const params: Record<string, TimestampParameter> = { snapshot: timestamp(snapshot) };
  let ordered = false;
  const lines = [`SELECT ${columns.join(', ')}`, `FROM ${table} FOR SYSTEM_TIME AS OF @snapshot`];

  if (settings.timestamp_column !== undefined) {
    const ts = quoteColumn(settings.timestamp_column, 'timestamp_column');
    const conditions = [`${ts} < @high`];
    params['high'] = timestamp(window.high);
    if (window.scanLow !== null) {
      conditions.unshift(`${ts} >= @low`);
      params['low'] = timestamp(window.scanLow);
    }
    lines.push(`WHERE ${conditions.join(' AND ')}`);
    const key = settings.dedupe_key ?? [];
    if (key.length > 0 && window.scanLow !== window.low) {
      const partition = key.map((name) => quoteColumn(name, 'dedupe_key')).join(', ');
      lines.push(`QUALIFY ROW_NUMBER() OVER (PARTITION BY ${partition} ORDER BY ${ts} DESC) = 1`);
    }
    if (window.mode !== 'full') {
      lines.push(`ORDER BY ${ts}`);
      ordered = true;
    }
  } else if (window.mode !== 'full') {
    throw new DomainError(
      'EXPORT_QUERY_INVALID',
      `a ${window.mode} export needs a timestamp_column`,
      'timestamp_column',
    );
  }

  const types = Object.fromEntries(Object.keys(params).map((name) => [name, 'TIMESTAMP' as const]));
  return { sql: lines.join('\n'), params, types, ordered };
}

function timestamp(micros: Micros): TimestampParameter {
  return { value: formatInstant(micros) };
}
