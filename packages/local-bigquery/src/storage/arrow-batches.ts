import {
  Binary,
  Bool,
  DateDay,
  Decimal,
  Field,
  Float64,
  Int64,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  TimeMicrosecond,
  TimestampMicrosecond,
  Utf8,
  tableToIPC,
  Table,
  type Data,
  type DataType,
} from 'apache-arrow';
import {
  DuckDBBlobValue,
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  DuckDBTimeValue,
  type DuckDBValue,
} from '@duckdb/node-api';

import { canonicalType, type TableField } from '../schema/table-field.js';
import { encodeScalar } from '../values/cell-encoding.js';

/** NUMERIC as the Storage API sends it: decimal128(38, 9); BIGNUMERIC: decimal256(76, 38). */
const NUMERIC_SCALE = 9;
const BIGNUMERIC_SCALE = 38;

/**
 * The Arrow type the BigQuery Storage Read API gives each scalar column. Nested and repeated
 * columns are refused (this server implements flat tables only).
 */
export function arrowType(field: TableField): DataType {
  if (field.mode === 'REPEATED' || canonicalType(field.type) === 'RECORD') {
    throw new Error(
      `column ${field.name}: REPEATED and RECORD columns are not served over the Storage Read API`,
    );
  }
  switch (canonicalType(field.type)) {
    case 'INTEGER':
      return new Int64();
    case 'FLOAT':
      return new Float64();
    case 'BOOLEAN':
      return new Bool();
    case 'BYTES':
      return new Binary();
    case 'NUMERIC':
      return new Decimal(NUMERIC_SCALE, 38, 128);
    case 'BIGNUMERIC':
      return new Decimal(BIGNUMERIC_SCALE, 76, 256);
    case 'DATE':
      return new DateDay();
    case 'TIME':
      return new TimeMicrosecond();
    case 'DATETIME':
      return new TimestampMicrosecond(null);
    case 'TIMESTAMP':
      return new TimestampMicrosecond('UTC');
    default:
      return new Utf8(); // STRING, JSON (text), GEOGRAPHY (WKT)
  }
}

export function arrowSchema(fields: readonly TableField[]): Schema {
  return new Schema(fields.map((field) => new Field(field.name, arrowType(field), true)));
}

/** The IPC stream bytes of `schema` alone (the session's `arrowSchema.serializedSchema`). */
export function serializeSchema(schema: Schema): Uint8Array {
  const stream = tableToIPC(new Table(schema), 'stream');
  // The stream ends with the 8-byte end-of-stream marker; an empty table writes no batch.
  return stream.subarray(0, stream.length - 8);
}

/**
 * One record batch as the Storage API's `serializedRecordBatch`: the IPC message of the batch
 * alone (no schema message, no end-of-stream marker), as a reader gets it after the schema.
 */
export function serializeBatch(
  schema: Schema,
  schemaBytes: number,
  rows: readonly DuckDBValue[][],
): Uint8Array {
  const children = schema.fields.map((field, column) =>
    columnData(
      field.type as DataType,
      rows.map((row) => row[column] ?? null),
    ),
  );
  const data = makeData({
    type: new Struct(schema.fields),
    length: rows.length,
    nullCount: 0,
    children,
  });
  const stream = tableToIPC(new Table([new RecordBatch(schema, data)]), 'stream');
  return stream.subarray(schemaBytes, stream.length - 8);
}

function validity(values: readonly DuckDBValue[]): { nullBitmap: Uint8Array; nullCount: number } {
  const nullBitmap = new Uint8Array(Math.ceil(values.length / 8));
  let nullCount = 0;
  values.forEach((value, i) => {
    if (value === null) nullCount++;
    else nullBitmap[i >> 3]! |= 1 << (i & 7);
  });
  return { nullBitmap, nullCount };
}

function columnData(type: DataType, values: readonly DuckDBValue[]): Data {
  const { nullBitmap, nullCount } = validity(values);
  const length = values.length;
  const base = { length, nullCount, nullBitmap };
  if (type instanceof Int64) {
    return makeData({
      ...base,
      type,
      data: BigInt64Array.from(values, (v) => (v === null ? 0n : BigInt(v as bigint))),
    });
  }
  if (type instanceof Float64) {
    return makeData({ ...base, type, data: Float64Array.from(values, (v) => (v === null ? 0 : Number(v))) });
  }
  if (type instanceof Bool) {
    const bits = new Uint8Array(Math.ceil(length / 8));
    values.forEach((v, i) => {
      if (v === true) bits[i >> 3]! |= 1 << (i & 7);
    });
    return makeData({ ...base, type, data: bits });
  }
  if (type instanceof DateDay) {
    return makeData({
      ...base,
      type,
      data: Int32Array.from(values, (v) => (v instanceof DuckDBDateValue ? v.days : 0)),
    });
  }
  if (type instanceof TimeMicrosecond) {
    return makeData({
      ...base,
      type,
      data: BigInt64Array.from(values, (v) => (v instanceof DuckDBTimeValue ? v.micros : 0n)),
    });
  }
  if (type instanceof TimestampMicrosecond) {
    return makeData({
      ...base,
      type,
      data: BigInt64Array.from(values, (v) =>
        v instanceof DuckDBTimestampTZValue || v instanceof DuckDBTimestampValue ? v.micros : 0n,
      ),
    });
  }
  if (type instanceof Decimal) {
    const words = type.bitWidth / 32;
    const data = new Uint32Array(length * words);
    values.forEach((v, i) => {
      if (v === null) return;
      let unscaled = decimalUnscaled(v, type.scale);
      for (let w = 0; w < words; w++) {
        data[i * words + w] = Number(BigInt.asUintN(32, unscaled));
        unscaled >>= 32n; // arithmetic shift: negatives fill with ones (two's complement)
      }
    });
    return makeData({ ...base, type, data });
  }
  // Utf8 and Binary: offsets + bytes.
  const chunks = values.map((v) => {
    if (v === null) return new Uint8Array(0);
    if (v instanceof DuckDBBlobValue) return v.bytes;
    return Buffer.from(encodeScalar('STRING', v, { useInt64Timestamp: true }));
  });
  const valueOffsets = new Int32Array(length + 1);
  chunks.forEach((chunk, i) => (valueOffsets[i + 1] = valueOffsets[i]! + chunk.length));
  const bytes = new Uint8Array(valueOffsets[length]!);
  chunks.forEach((chunk, i) => bytes.set(chunk, valueOffsets[i]));
  return type instanceof Binary
    ? makeData({ ...base, type, valueOffsets, data: bytes })
    : makeData({ ...base, type: type as Utf8, valueOffsets, data: bytes });
}

/** The value as an integer count of 10^-scale units. */
function decimalUnscaled(value: DuckDBValue, scale: number): bigint {
  if (value instanceof DuckDBDecimalValue) {
    const shift = scale - value.scale;
    return shift >= 0 ? value.value * 10n ** BigInt(shift) : value.value / 10n ** BigInt(-shift);
  }
  const text = String(value);
  const negative = text.startsWith('-');
  const [whole = '0', frac = ''] = text.replace(/^[-+]/, '').split('.');
  const digits = BigInt(whole + frac.padEnd(scale, '0').slice(0, scale));
  return negative ? -digits : digits;
}
