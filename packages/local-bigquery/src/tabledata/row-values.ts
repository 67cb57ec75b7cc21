import type { TableField } from '../schema/table-field.js';
import { canonicalType } from '../schema/table-field.js';
import type { ParameterType, ParameterValue } from '../values/sql-literal.js';

/** A row that cannot be inserted: the reason and the field at fault. */
export class RowError extends Error {
  constructor(
    readonly location: string,
    message: string,
  ) {
    super(message);
  }
}

/** The parameter type of a schema field, so rows and query parameters share one literal writer. */
export function fieldParameterType(field: TableField): ParameterType {
  const element: ParameterType =
    canonicalType(field.type) === 'RECORD'
      ? {
          type: 'STRUCT',
          structTypes: (field.fields ?? []).map((child) => ({
            name: child.name,
            type: fieldParameterType(child),
          })),
        }
      : { type: field.type };
  return field.mode === 'REPEATED' ? { type: 'ARRAY', arrayType: element } : element;
}

/** Converts one JSON value of an insertAll row to a parameter value for its field. */
export function fieldParameterValue(
  field: TableField,
  value: unknown,
  ignoreUnknownValues: boolean,
  path = field.name,
): ParameterValue {
  if (value === null || value === undefined) {
    if (field.mode === 'REQUIRED') throw new RowError(path, `Missing required field: ${path}.`);
    return field.mode === 'REPEATED' ? { arrayValues: [] } : { value: null };
  }
  if (field.mode === 'REPEATED') {
    if (!Array.isArray(value))
      throw new RowError(
        path,
        `Array specified for non-repeated field or non-array for repeated field: ${path}.`,
      );
    const element: TableField = { ...field, mode: 'NULLABLE' };
    return {
      arrayValues: value.map((item: unknown) => {
        if (item === null) throw new RowError(path, `Array ${path} has a NULL element.`);
        return fieldParameterValue(element, item, ignoreUnknownValues, path);
      }),
    };
  }
  if (canonicalType(field.type) === 'RECORD') {
    if (typeof value !== 'object' || Array.isArray(value))
      throw new RowError(path, `This field: ${path} is not a record.`);
    return {
      structValues: recordValues(
        field.fields ?? [],
        value as Record<string, unknown>,
        ignoreUnknownValues,
        `${path}.`,
      ),
    };
  }
  if (canonicalType(field.type) === 'JSON' && typeof value === 'object')
    return { value: JSON.stringify(value) };
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return { value: String(value) };
  throw new RowError(path, `This field: ${path} is not a record.`);
}

/**
 * The values of a row (or RECORD) by field name — matched case-insensitively, as BigQuery
 * column names are — refusing unknown names unless told to ignore them.
 */
export function recordValues(
  fields: readonly TableField[],
  json: Record<string, unknown>,
  ignoreUnknownValues: boolean,
  prefix = '',
): Record<string, ParameterValue> {
  const byName = new Map(Object.entries(json).map(([key, value]) => [key.toLowerCase(), value]));
  if (!ignoreUnknownValues) {
    const known = new Set(fields.map((field) => field.name.toLowerCase()));
    const unknown = Object.keys(json).find((key) => !known.has(key.toLowerCase()));
    if (unknown !== undefined)
      throw new RowError(`${prefix}${unknown}`, `no such field: ${prefix}${unknown}.`);
  }
  const values: Record<string, ParameterValue> = {};
  for (const field of fields) {
    values[field.name] = fieldParameterValue(
      field,
      byName.get(field.name.toLowerCase()),
      ignoreUnknownValues,
      `${prefix}${field.name}`,
    );
  }
  return values;
}
