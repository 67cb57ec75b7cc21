import {
  DuckDBBlobValue,
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBListValue,
  DuckDBStructValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  DuckDBTimeValue,
} from '@duckdb/node-api';
import type { DuckDBValue } from '@duckdb/node-api';
import type { TableField } from '../schema/table-field.js';

/** One `f`/`v` row as the REST API sends it. */
export interface FvRow {
  f: { v: FvValue }[];
}
export type FvValue = string | null | FvRow | { v: FvValue }[];

export interface CellEncodingOptions {
  /** `formatOptions.useInt64Timestamp`: TIMESTAMP as int64 microseconds, else as float seconds. */
  readonly useInt64Timestamp: boolean;
}

/** Encodes a DuckDB row in BigQuery's `{ f: [{ v }] }` shape, every scalar as a string. */
export function encodeRow(
  fields: readonly TableField[],
  values: readonly DuckDBValue[],
  options: CellEncodingOptions,
): FvRow {
  return { f: fields.map((field, index) => ({ v: encodeField(field, values[index] ?? null, options) })) };
}

function encodeField(field: TableField, value: DuckDBValue, options: CellEncodingOptions): FvValue {
  if (field.mode === 'REPEATED') {
    // BigQuery has no NULL arrays: they read back as empty.
    if (value === null) return [];
    const items = value instanceof DuckDBListValue ? value.items : [];
    return items.map((item) => ({ v: encodeScalarOrRecord(field, item, options) }));
  }
  return encodeScalarOrRecord(field, value, options);
}

function encodeScalarOrRecord(field: TableField, value: DuckDBValue, options: CellEncodingOptions): FvValue {
  if (value === null) return null;
  if (field.type === 'RECORD') {
    const entries = value instanceof DuckDBStructValue ? value.entries : {};
    const children = field.fields ?? [];
    return encodeRow(
      children,
      children.map((child) => entries[child.name] ?? null),
      options,
    );
  }
  return encodeScalar(field.type, value, options);
}

export function encodeScalar(type: string, value: DuckDBValue, options: CellEncodingOptions): string {
  switch (type) {
    case 'BOOLEAN':
      return value === true ? 'true' : 'false';
    case 'FLOAT':
      return encodeFloat(Number(value));
    case 'NUMERIC':
    case 'BIGNUMERIC':
      return trimDecimal(value instanceof DuckDBDecimalValue ? value.toString() : String(value));
    case 'BYTES':
      return value instanceof DuckDBBlobValue ? Buffer.from(value.bytes).toString('base64') : String(value);
    case 'TIMESTAMP':
      return value instanceof DuckDBTimestampTZValue ? encodeTimestamp(value.micros, options) : String(value);
    case 'DATETIME':
      return value instanceof DuckDBTimestampValue ? formatDatetime(value.micros) : String(value);
    case 'TIME':
      return value instanceof DuckDBTimeValue ? formatTime(value.micros) : String(value);
    case 'DATE':
      return value instanceof DuckDBDateValue ? value.toString() : String(value);
    default:
      return typeof value === 'string' ? value : String(value);
  }
}

function encodeFloat(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  // String(-0) is "0": the sign of negative zero would be lost on the way to the client.
  if (Object.is(value, -0)) return '-0';
  return String(value);
}

/** `12.500000000` → `12.5`, `3.000` → `3`, as BigQuery prints NUMERIC. */
export function trimDecimal(text: string): string {
  if (!text.includes('.')) return text;
  return text.replace(/0+$/, '').replace(/\.$/, '');
}

const MICROS_PER_SECOND = 1_000_000n;

function encodeTimestamp(micros: bigint, options: CellEncodingOptions): string {
  if (options.useInt64Timestamp) return micros.toString();
  // Float seconds, as the API sends without useInt64Timestamp; fraction kept to the microsecond.
  const negative = micros < 0n;
  const abs = negative ? -micros : micros;
  const seconds = abs / MICROS_PER_SECOND;
  const fraction = (abs % MICROS_PER_SECOND).toString().padStart(6, '0');
  return `${negative ? '-' : ''}${seconds.toString()}.${fraction}`;
}

const MICROS_PER_DAY = 86_400_000_000n;

/** `YYYY-MM-DDTHH:MM:SS[.ffffff]`, the REST API's DATETIME form. */
export function formatDatetime(micros: bigint): string {
  let days = micros / MICROS_PER_DAY;
  let rest = micros % MICROS_PER_DAY;
  if (rest < 0n) {
    rest += MICROS_PER_DAY;
    days -= 1n;
  }
  const date = new Date(Number(days) * 86_400_000).toISOString().slice(0, 10);
  return `${date}T${formatTime(rest)}`;
}

/** `HH:MM:SS[.ffffff]`, the REST API's TIME form. */
export function formatTime(micros: bigint): string {
  const totalSeconds = micros / MICROS_PER_SECOND;
  const fraction = micros % MICROS_PER_SECOND;
  const hh = (totalSeconds / 3600n).toString().padStart(2, '0');
  const mm = ((totalSeconds / 60n) % 60n).toString().padStart(2, '0');
  const ss = (totalSeconds % 60n).toString().padStart(2, '0');
  const frac = fraction === 0n ? '' : `.${fraction.toString().padStart(6, '0')}`;
  return `${hh}:${mm}:${ss}${frac}`;
}
