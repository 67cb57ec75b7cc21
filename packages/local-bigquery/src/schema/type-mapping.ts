import { ApiError } from '../http/api-error.js';
import { canonicalType } from './table-field.js';
import type { CanonicalType, TableField } from './table-field.js';

/**
 * BIGNUMERIC has 76 digits in BigQuery; DuckDB's DECIMAL stops at 38. It is stored as
 * DECIMAL(38,18) (20 integer and 18 fractional digits), and that exact type reads back as
 * BIGNUMERIC.
 */
export const BIGNUMERIC_DUCKDB = 'DECIMAL(38,18)';
export const NUMERIC_DUCKDB = 'DECIMAL(38,9)';

const scalarDuckDb: Record<Exclude<CanonicalType, 'RECORD'>, string> = {
  STRING: 'VARCHAR',
  BYTES: 'BLOB',
  INTEGER: 'BIGINT',
  FLOAT: 'DOUBLE',
  NUMERIC: NUMERIC_DUCKDB,
  BIGNUMERIC: BIGNUMERIC_DUCKDB,
  BOOLEAN: 'BOOLEAN',
  DATE: 'DATE',
  DATETIME: 'TIMESTAMP',
  TIME: 'TIME',
  TIMESTAMP: 'TIMESTAMPTZ',
  JSON: 'JSON',
};

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The DuckDB type of one element of a field (without its REPEATED mode). */
export function duckDbElementType(field: TableField): string {
  const type = canonicalType(field.type);
  if (type === undefined) {
    throw new ApiError('invalid', `Field ${field.name}: type ${field.type} is not emulated`);
  }
  if (type === 'RECORD') {
    const children = field.fields ?? [];
    if (children.length === 0) {
      throw new ApiError('invalid', `Field ${field.name} is type RECORD but has no schema`);
    }
    return `STRUCT(${children.map((child) => `${quoteIdent(child.name)} ${duckDbType(child)}`).join(', ')})`;
  }
  return scalarDuckDb[type];
}

/** The DuckDB column type of a field, REPEATED becoming a list. */
export function duckDbType(field: TableField): string {
  const element = duckDbElementType(field);
  return field.mode === 'REPEATED' ? `${element}[]` : element;
}

/** The column list of a CREATE TABLE for a schema. */
export function columnDefinitions(fields: readonly TableField[]): string {
  return fields
    .map((field) => {
      const notNull = field.mode === 'REQUIRED' ? ' NOT NULL' : '';
      return `${quoteIdent(field.name)} ${duckDbType(field)}${notNull}`;
    })
    .join(', ');
}
