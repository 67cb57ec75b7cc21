import {
  assertTimeZone,
  DomainError,
  formatOffset,
  parseInstant,
  parseIsoInstant,
  splitMicros,
  zonedFields,
} from '@bq-sftp-export/export-domain';
import type { BigQueryType } from './column-schema.js';

/** Renders one non-null value as text; `null` for SQL NULL. */
export type ValueRenderer = (value: unknown) => string | null;

export type TimestampFormat = 'bigquery' | 'iso8601' | 'epoch_millis';

export interface ValueTextOptions {
  /**
   * `bigquery` (default): `YYYY-MM-DD HH:MM:SS[.ffffff] UTC`; `iso8601`:
   * `YYYY-MM-DDTHH:MM:SS.ffffffZ`; `epoch_millis`: whole milliseconds since the epoch (floor).
   */
  readonly timestampFormat?: TimestampFormat | undefined;
  /** IANA zone TIMESTAMP values are shown in (default `UTC`); DATE, DATETIME and TIME have no zone. */
  readonly timeZone?: string | undefined;
}

/**
 * Value text as BigQuery's own CSV export writes it, from the JS shapes that
 * `@google-cloud/bigquery` (9.x) yields with `wrapIntegers: {integerTypeCastFunction: BigInt}`
 * and without `parseJSON`:
 *
 * | type        | input shape                                | text                                    |
 * | ----------- | ------------------------------------------ | --------------------------------------- |
 * | STRING      | string                                     | as is                                   |
 * | BYTES       | Buffer / Uint8Array                        | base64                                  |
 * | INT64       | bigint (also BigQueryInt `{value}`, safe-integer number, string) | decimal, exact |
 * | FLOAT64     | number                                     | shortest round-trip; `nan`, `inf`, `-inf` |
 * | NUMERIC, BIGNUMERIC | Big (`toFixed()`), or string       | plain decimal, exact, never exponent    |
 * | BOOL        | boolean                                    | `true` / `false`                        |
 * | DATE        | BigQueryDate `{value}`                     | `YYYY-MM-DD`                            |
 * | DATETIME    | BigQueryDatetime `{value}`                 | `YYYY-MM-DDTHH:MM:SS[.ffffff]`          |
 * | TIME        | BigQueryTime `{value}`                     | `HH:MM:SS[.ffffff]`                     |
 * | TIMESTAMP   | BigQueryTimestamp `{value}` (ISO, `Z`), Date | `YYYY-MM-DD HH:MM:SS[.ffffff] UTC`    |
 * | JSON        | string (or a parsed value)                 | JSON text                               |
 * | GEOGRAPHY   | Geography `{value}` (WKT)                  | WKT                                     |
 *
 * NULL (`null`/`undefined`) renders `null`; the encoder writes its null token.
 */
export function createValueRenderer(type: BigQueryType, options: ValueTextOptions = {}): ValueRenderer {
  switch (type) {
    case 'STRING':
      return (v) => (v == null ? null : (v as string));
    case 'BYTES':
      return (v) => (v == null ? null : bytesToBase64(v));
    case 'INT64':
      return (v) => (v == null ? null : int64Text(v));
    case 'FLOAT64':
      return (v) => (v == null ? null : float64Text(v as number));
    case 'NUMERIC':
    case 'BIGNUMERIC':
      return (v) => (v == null ? null : decimalText(v));
    case 'BOOL':
      return (v) => (v == null ? null : v === true ? 'true' : 'false');
    case 'DATE':
    case 'TIME':
    case 'GEOGRAPHY':
      return (v) => (v == null ? null : wrappedText(v));
    case 'DATETIME':
      return (v) => (v == null ? null : wrappedText(v).replace(' ', 'T'));
    case 'JSON':
      return (v) => (v == null ? null : typeof v === 'string' ? v : JSON.stringify(v));
    case 'TIMESTAMP':
      return timestampRenderer(options);
  }
}

/** FLOAT64 as BigQuery writes it: `nan`, `inf`, `-inf`, `-0`, otherwise the shortest round-trip form. */
export function float64Text(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  if (value === 0 && 1 / value < 0) return '-0';
  return String(value);
}

function int64Text(value: unknown): string {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) {
      throw new DomainError('VALUE_NOT_EXACT', 'an INT64 value arrived as an unsafe JS number', 'columns');
    }
    return String(value);
  }
  return wrappedText(value);
}

export function decimalText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (
    typeof value === 'object' &&
    value !== null &&
    'toFixed' in value &&
    typeof value.toFixed === 'function'
  ) {
    // Big.js: toFixed() without arguments is the exact value in plain (non-exponent) notation.
    return String((value as { toFixed(): string }).toFixed());
  }
  throw new DomainError('VALUE_SHAPE_UNEXPECTED', 'a NUMERIC value has an unexpected shape', 'columns');
}

/** The text of BigQueryDate/Datetime/Time/Int/Geography (`.value`) or a plain string. */
export function wrappedText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null && 'value' in value && typeof value.value === 'string') {
    return value.value;
  }
  throw new DomainError(
    'VALUE_SHAPE_UNEXPECTED',
    'a value has an unexpected shape for its column type',
    'columns',
  );
}

function bytesToBase64(value: unknown): string {
  if (!(value instanceof Uint8Array)) {
    throw new DomainError('VALUE_SHAPE_UNEXPECTED', 'a BYTES value is not a byte array', 'columns');
  }
  return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
}

/** ISO text of a BigQueryTimestamp (`{value}`), a Date or an ISO string. */
export function isoText(value: unknown): string {
  return value instanceof Date ? value.toISOString() : wrappedText(value);
}

function timestampRenderer(options: ValueTextOptions): ValueRenderer {
  const format = options.timestampFormat ?? 'bigquery';
  const timeZone = options.timeZone ?? 'UTC';
  assertTimeZone(timeZone);
  if (format === 'epoch_millis') {
    return (v) => (v == null ? null : String(splitMicros(parseIsoInstant(isoText(v))).millis));
  }
  const zoned = (iso: string): string => {
    const f = zonedFields(parseInstant(iso, 'TIMESTAMP value'), timeZone);
    const date = `${f.year}-${f.month}-${f.day}`;
    const time = `${f.hour}:${f.minute}:${f.second}`;
    const offset = formatOffset(f.offsetMinutes);
    return format === 'bigquery'
      ? `${date} ${time}${f.micros === '000000' ? '' : `.${f.micros}`}${timeZone === 'UTC' ? ' UTC' : offset}`
      : `${date}T${time}.${f.micros}${timeZone === 'UTC' ? 'Z' : offset}`;
  };
  if (timeZone !== 'UTC') return (v) => (v == null ? null : zoned(isoText(v)));
  // Fast path: the SDK's ISO text in UTC is re-cut with string slices, no date arithmetic.
  const utc = format === 'bigquery' ? utcBigQueryText : utcIsoText;
  return (v) => {
    if (v == null) return null;
    const iso = isoText(v);
    return iso.charCodeAt(iso.length - 1) === 90 /* Z */ && iso.charCodeAt(10) === 84 /* T */
      ? utc(iso)
      : zoned(iso);
  };
}

/** `2024-01-02T03:04:05.123456000Z` → `2024-01-02 03:04:05.123456 UTC` (fraction only when non-zero). */
function utcBigQueryText(iso: string): string {
  const t = 10;
  const micros = fraction(iso, t);
  return `${iso.slice(0, t)} ${iso.slice(t + 1, t + 9)}${micros === '000000' ? '' : `.${micros}`} UTC`;
}

/** `2024-01-02T03:04:05.123Z` → `2024-01-02T03:04:05.123000Z` (always six digits). */
function utcIsoText(iso: string): string {
  const t = 10;
  return `${iso.slice(0, t + 9)}.${fraction(iso, t)}Z`;
}

/** Six fraction digits of an ISO instant whose time starts after index `t`. */
function fraction(iso: string, t: number): string {
  if (iso.charCodeAt(t + 9) !== 46 /* . */) return '000000';
  const end = iso.length - 1; // the trailing Z
  const digits = iso.slice(t + 10, Math.min(end, t + 16));
  return digits.length === 6 ? digits : digits.padEnd(6, '0');
}
