import { RecordBatchReader, type Data, type RecordBatch, type Vector } from 'apache-arrow';

import type { BigQueryType, ColumnSchema, ExportRow } from '../domain/encoding/column-schema.js';

/**
 * Arrow record batches of the Storage Read API turned into rows of the same JS shapes the REST
 * path yields (see `domain/encoding/value-text.ts`), so both paths go through one renderer:
 * INT64 `bigint`, FLOAT64 `number` (-0 kept), NUMERIC/BIGNUMERIC exact decimal text,
 * TIMESTAMP `{value}` ISO text with six fraction digits and `Z`, DATE/TIME/DATETIME `{value}`
 * in the REST forms, BYTES `Uint8Array`, STRING/JSON/GEOGRAPHY text, NULL `null`.
 */
export function decodeArrowRows(
  schemaBytes: Uint8Array,
  batchBytes: Uint8Array,
  columns: readonly ColumnSchema[],
): ExportRow[] {
  const message = new Uint8Array(schemaBytes.length + batchBytes.length);
  message.set(schemaBytes, 0);
  message.set(batchBytes, schemaBytes.length);
  const rows: ExportRow[] = [];
  for (const batch of RecordBatchReader.from(message) as Iterable<RecordBatch>)
    rows.push(...batchRows(batch, columns));
  return rows;
}

function batchRows(batch: RecordBatch, columns: readonly ColumnSchema[]): ExportRow[] {
  const readers = columns.map((column, index) => cellReader(column.type, batch.getChildAt(index)!));
  const rows = new Array<ExportRow>(batch.numRows);
  for (let i = 0; i < batch.numRows; i++) {
    const row: Record<string, unknown> = {};
    for (let c = 0; c < columns.length; c++) row[columns[c]!.name] = readers[c]!(i);
    rows[i] = row;
  }
  return rows;
}

type CellReader = (row: number) => unknown;

/** A reader over the vector's raw buffers (one chunk: a batch of one IPC message). */
function cellReader(type: BigQueryType, vector: Vector): CellReader {
  const data = vector.data[0] as Data;
  const isNull = (i: number): boolean => !vector.isValid(i);
  const values = data.values as unknown;
  switch (type) {
    case 'INT64': {
      const v = values as BigInt64Array;
      return (i) => (isNull(i) ? null : v[i]);
    }
    case 'FLOAT64': {
      const v = values as Float64Array;
      return (i) => (isNull(i) ? null : v[i]);
    }
    case 'BOOL':
      return (i) => (isNull(i) ? null : (vector.get(i) as boolean));
    case 'TIMESTAMP': {
      const v = values as BigInt64Array;
      return (i) => (isNull(i) ? null : { value: isoFromMicros(v[i]!) });
    }
    case 'DATETIME': {
      const v = values as BigInt64Array;
      return (i) => (isNull(i) ? null : { value: datetimeText(v[i]!) });
    }
    case 'TIME': {
      const v = values as BigInt64Array;
      return (i) => (isNull(i) ? null : { value: timeText(v[i]!) });
    }
    case 'DATE': {
      const v = values as Int32Array;
      return (i) => (isNull(i) ? null : { value: dateText(v[i]!) });
    }
    case 'NUMERIC':
    case 'BIGNUMERIC': {
      const { scale, bitWidth } = data.type as unknown as { scale: number; bitWidth: number };
      const words = bitWidth / 32;
      const v = values as Uint32Array;
      return (i) => (isNull(i) ? null : decimalFromWords(v, i * words, words, scale));
    }
    case 'BYTES':
      return (i) => (isNull(i) ? null : (vector.get(i) as Uint8Array));
    default: // STRING, JSON, GEOGRAPHY
      return (i) => (isNull(i) ? null : (vector.get(i) as string));
  }
}

const MICROS_PER_SECOND = 1_000_000n;
const MICROS_PER_DAY = 86_400_000_000n;

/** Floor division and its non-negative remainder: pre-1970 instants keep their forward fraction. */
function floorDiv(value: bigint, by: bigint): [bigint, bigint] {
  let quotient = value / by;
  let rest = value % by;
  if (rest < 0n) {
    rest += by;
    quotient -= 1n;
  }
  return [quotient, rest];
}

function dateText(days: number): string {
  return new Date(days * 86_400_000).toISOString().slice(0, 10);
}

function clock(micros: bigint): { hms: string; fraction: string } {
  const [seconds, fraction] = floorDiv(micros, MICROS_PER_SECOND);
  const hh = (seconds / 3600n).toString().padStart(2, '0');
  const mm = ((seconds / 60n) % 60n).toString().padStart(2, '0');
  const ss = (seconds % 60n).toString().padStart(2, '0');
  return { hms: `${hh}:${mm}:${ss}`, fraction: fraction.toString().padStart(6, '0') };
}

/** `YYYY-MM-DDTHH:MM:SS.ffffffZ`. */
export function isoFromMicros(micros: bigint): string {
  const [days, rest] = floorDiv(micros, MICROS_PER_DAY);
  const { hms, fraction } = clock(rest);
  return `${dateText(Number(days))}T${hms}.${fraction}Z`;
}

/** `HH:MM:SS[.ffffff]`, the REST form (fraction only when non-zero). */
function timeText(micros: bigint): string {
  const { hms, fraction } = clock(micros);
  return fraction === '000000' ? hms : `${hms}.${fraction}`;
}

/** `YYYY-MM-DDTHH:MM:SS[.ffffff]`, the REST form. */
function datetimeText(micros: bigint): string {
  const [days, rest] = floorDiv(micros, MICROS_PER_DAY);
  return `${dateText(Number(days))}T${timeText(rest)}`;
}

/** A two's-complement little-endian decimal as plain text, trailing fraction zeros trimmed. */
function decimalFromWords(words: Uint32Array, start: number, count: number, scale: number): string {
  let unscaled = 0n;
  for (let w = count - 1; w >= 0; w--) unscaled = (unscaled << 32n) | BigInt(words[start + w]!);
  unscaled = BigInt.asIntN(count * 32, unscaled);
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale).replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction === '' ? '' : `.${fraction}`}`;
}
