import type { SchemaElement } from 'hyparquet-writer';

import {
  DomainError,
  MICROS_PER_SECOND,
  parseInstant,
  parseIsoInstant,
  type Micros,
} from '@bq-sftp-export/export-domain';
import type { BigQueryType, ColumnSchema } from './column-schema.js';
import { decimalText, isoText, wrappedText } from './value-text.js';

/** A value as the Parquet writer takes it for its column's physical type; `null` for NULL. */
export type ParquetValue = string | number | bigint | boolean | Uint8Array | null;

export interface ParquetColumn {
  readonly element: SchemaElement;
  readonly convert: (value: unknown) => ParquetValue;
}

const MICROS_PER_DAY = 86_400n * MICROS_PER_SECOND;
const utf8 = { type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' } } as const;

/**
 * Parquet columns for BigQuery types, with the logical types BigQuery's own Parquet export
 * uses, every column OPTIONAL (NULL-able):
 *
 * | BigQuery   | Parquet                                                    | value           |
 * | ---------- | ---------------------------------------------------------- | --------------- |
 * | STRING, JSON, GEOGRAPHY | BYTE_ARRAY UTF8 (STRING)                      | text (JSON text, WKT) |
 * | BYTES      | BYTE_ARRAY                                                 | bytes           |
 * | INT64      | INT64                                                      | bigint, exact   |
 * | FLOAT64    | DOUBLE                                                     | number, NaN/±Inf kept |
 * | NUMERIC    | FIXED_LEN_BYTE_ARRAY(16) DECIMAL(38, 9)                    | unscaled bigint |
 * | BIGNUMERIC | FIXED_LEN_BYTE_ARRAY(32) DECIMAL(76, 38)                   | unscaled bigint |
 * | BOOL       | BOOLEAN                                                    | boolean         |
 * | DATE       | INT32 DATE                                                 | days since 1970 |
 * | DATETIME   | INT64 TIMESTAMP(MICROS, isAdjustedToUTC = false)           | µs, wall clock  |
 * | TIME       | INT64 TIME(MICROS, isAdjustedToUTC = false)                | µs of the day   |
 * | TIMESTAMP  | INT64 TIMESTAMP(MICROS, isAdjustedToUTC = true)            | µs since epoch  |
 */
export function parquetColumn(column: ColumnSchema): ParquetColumn {
  const base = { name: column.name, repetition_type: 'OPTIONAL' } as const;
  const [element, convert] = typeMapping(column.type);
  return { element: { ...base, ...element }, convert: (v) => (v == null ? null : convert(v)) };
}

/** The file schema: a root element followed by one element per column. */
export function parquetSchema(columns: readonly ParquetColumn[]): SchemaElement[] {
  return [{ name: 'root', num_children: columns.length }, ...columns.map((c) => c.element)];
}

type Mapping = [Omit<SchemaElement, 'name'>, (value: unknown) => ParquetValue];

function typeMapping(type: BigQueryType): Mapping {
  switch (type) {
    case 'STRING':
    case 'GEOGRAPHY':
      return [utf8, (v) => (typeof v === 'string' ? v : wrappedText(v))];
    case 'JSON':
      return [utf8, (v) => (typeof v === 'string' ? v : JSON.stringify(v))];
    case 'BYTES':
      return [{ type: 'BYTE_ARRAY' }, (v) => bytes(v)];
    case 'INT64':
      return [
        { type: 'INT64' },
        (v) => (typeof v === 'bigint' ? v : BigInt(typeof v === 'number' ? v : wrappedText(v))),
      ];
    case 'FLOAT64':
      return [{ type: 'DOUBLE' }, (v) => v as number];
    case 'NUMERIC':
      return [decimal(16, 38, 9), (v) => unscaled(decimalText(v), 9)];
    case 'BIGNUMERIC':
      return [decimal(32, 76, 38), (v) => unscaled(decimalText(v), 38)];
    case 'BOOL':
      return [{ type: 'BOOLEAN' }, (v) => v as boolean];
    case 'DATE':
      return [
        { type: 'INT32', converted_type: 'DATE', logical_type: { type: 'DATE' } },
        (v) => Number(floorDiv(parseInstant(`${wrappedText(v)}T00:00:00Z`, 'DATE value'), MICROS_PER_DAY)),
      ];
    case 'DATETIME':
      return [
        { type: 'INT64', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: false, unit: 'MICROS' } },
        (v) => parseInstant(wrappedText(v), 'DATETIME value'),
      ];
    case 'TIME':
      return [
        { type: 'INT64', logical_type: { type: 'TIME', isAdjustedToUTC: false, unit: 'MICROS' } },
        (v) => parseInstant(`1970-01-01T${wrappedText(v)}Z`, 'TIME value'),
      ];
    case 'TIMESTAMP':
      return [
        {
          type: 'INT64',
          converted_type: 'TIMESTAMP_MICROS',
          logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' },
        },
        (v) => parseIsoInstant(isoText(v)),
      ];
  }
}

function decimal(length: number, precision: number, scale: number): Omit<SchemaElement, 'name'> {
  return {
    type: 'FIXED_LEN_BYTE_ARRAY',
    type_length: length,
    converted_type: 'DECIMAL',
    precision,
    scale,
    logical_type: { type: 'DECIMAL', precision, scale },
  };
}

/** `-12.5` at scale 9 → `-12500000000n`, exactly (decimal text, never a float). */
export function unscaled(text: string, scale: number): bigint {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (match === null || (match[3] ?? '').length > scale) {
    throw new DomainError('VALUE_NOT_EXACT', `a decimal value does not fit scale ${scale}`, 'columns');
  }
  const [, sign, whole = '', fraction = ''] = match;
  const magnitude = BigInt(whole + fraction.padEnd(scale, '0'));
  return sign === '-' ? -magnitude : magnitude;
}

function bytes(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  throw new DomainError('VALUE_SHAPE_UNEXPECTED', 'a BYTES value is not a byte array', 'columns');
}

function floorDiv(a: Micros, b: Micros): Micros {
  const q = a / b;
  return a % b < 0n ? q - 1n : q;
}
