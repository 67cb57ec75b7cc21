import type { TableField } from '../schema/table-field.js';

const fixedWidths: Record<string, number> = {
  INTEGER: 8,
  FLOAT: 8,
  TIMESTAMP: 8,
  DATE: 8,
  DATETIME: 8,
  TIME: 8,
  BOOLEAN: 1,
  NUMERIC: 16,
  BIGNUMERIC: 32,
};
/** Assumed average size of a STRING, BYTES or JSON value. */
const VARIABLE_WIDTH = 16;

/** Bytes per row of a schema, by BigQuery's per-type sizes (variable-width types assumed). */
export function rowWidth(fields: readonly TableField[]): number {
  return fields.reduce((sum, field) => {
    if (field.type === 'RECORD') return sum + rowWidth(field.fields ?? []);
    return sum + (fixedWidths[field.type] ?? VARIABLE_WIDTH);
  }, 0);
}
