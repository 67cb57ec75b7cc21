import { assertTimeZone, DomainError } from '@bq-sftp-export/export-domain';
import type { TimestampFormat } from './value-text.js';

/**
 * - `minimal`: quote only what needs it (delimiter, `"`, CR, LF, or text equal to the null
 *   token, so NULL and that text stay distinguishable) — RFC 4180;
 * - `all`: quote every non-NULL value;
 * - `nonnumeric`: quote every non-NULL value of a non-numeric column;
 * - `none`: never quote; a value containing the delimiter, `"`, CR or LF is rejected
 *   (`CSV_VALUE_UNREPRESENTABLE`) rather than silently breaking the row.
 */
export type QuotePolicy = 'minimal' | 'all' | 'nonnumeric' | 'none';

/** A partner's CSV dialect, in the config's snake_case. */
export interface CsvDialect {
  /** One character, not `"`, CR or LF. Default `,`. */
  readonly delimiter: string;
  readonly quote: QuotePolicy;
  /** Write a header row of column names. Default true. */
  readonly header: boolean;
  /** Text for SQL NULL. Default empty (as BigQuery writes NULL). */
  readonly null_token: string;
  readonly line_terminator: '\n' | '\r\n';
  /** Start the file with a UTF-8 byte order mark. Default false. */
  readonly bom: boolean;
  readonly timestamp_format: TimestampFormat;
  /** IANA zone TIMESTAMP values are shown in. Default `UTC`. */
  readonly time_zone: string;
  /** Prefix `'` to STRING values starting with `=`, `+`, `-`, `@`, tab or CR (and their full-width forms). */
  readonly formula_guard: boolean;
}

/** BigQuery's own CSV export: comma, minimal quoting, header, empty NULL, LF, UTC. */
export const defaultCsvDialect: CsvDialect = Object.freeze({
  delimiter: ',',
  quote: 'minimal',
  header: true,
  null_token: '',
  line_terminator: '\n',
  bom: false,
  timestamp_format: 'bigquery',
  time_zone: 'UTC',
  formula_guard: false,
});

/** Fills defaults and checks a dialect; errors name the offending field. */
export function resolveCsvDialect(partial: Partial<CsvDialect> = {}): CsvDialect {
  const dialect = { ...defaultCsvDialect, ...partial };
  if ([...dialect.delimiter].length !== 1 || /["\r\n]/.test(dialect.delimiter)) {
    throw new DomainError(
      'CSV_DIALECT_INVALID',
      'delimiter must be one character other than ", CR and LF',
      'delimiter',
    );
  }
  if (dialect.null_token.includes(dialect.delimiter) || /["\r\n]/.test(dialect.null_token)) {
    throw new DomainError(
      'CSV_DIALECT_INVALID',
      'null_token must not contain the delimiter, ", CR or LF',
      'null_token',
    );
  }
  if (!['minimal', 'all', 'nonnumeric', 'none'].includes(dialect.quote)) {
    throw new DomainError('CSV_DIALECT_INVALID', 'quote must be minimal, all, nonnumeric or none', 'quote');
  }
  if (dialect.line_terminator !== '\n' && dialect.line_terminator !== '\r\n') {
    throw new DomainError(
      'CSV_DIALECT_INVALID',
      'line_terminator must be "\\n" or "\\r\\n"',
      'line_terminator',
    );
  }
  if (!['bigquery', 'iso8601', 'epoch_millis'].includes(dialect.timestamp_format)) {
    throw new DomainError(
      'CSV_DIALECT_INVALID',
      'timestamp_format must be bigquery, iso8601 or epoch_millis',
      'timestamp_format',
    );
  }
  assertTimeZone(dialect.time_zone);
  return Object.freeze(dialect);
}
