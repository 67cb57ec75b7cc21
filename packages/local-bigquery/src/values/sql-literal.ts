import { ApiError } from '../http/api-error.js';
import { canonicalType } from '../schema/table-field.js';
import { BIGNUMERIC_DUCKDB, NUMERIC_DUCKDB, quoteIdent } from '../schema/type-mapping.js';

/** `QueryParameterType` of the REST API. */
export interface ParameterType {
  type: string;
  arrayType?: ParameterType | undefined;
  structTypes?: { name?: string; type: ParameterType }[] | undefined;
}

/** `QueryParameterValue` of the REST API. */
export interface ParameterValue {
  /**
   * A string in the API; clients also send JSON numbers and booleans, and the Node client sends
   * a BYTES Buffer as its JSON form `{ type: 'Buffer', data: [...] }`.
   */
  value?: string | number | boolean | { type?: string; data?: number[] } | null | undefined;
  arrayValues?: ParameterValue[] | undefined;
  structValues?: Record<string, ParameterValue> | undefined;
}

/** The DuckDB type of a parameter type. */
export function duckDbTypeOf(type: ParameterType): string {
  const name = type.type.toUpperCase();
  if (name === 'ARRAY') {
    if (type.arrayType === undefined) throw new ApiError('invalidQuery', 'ARRAY parameter without arrayType');
    return `${duckDbTypeOf(type.arrayType)}[]`;
  }
  if (name === 'STRUCT' || name === 'RECORD') {
    const members = (type.structTypes ?? []).map(
      (member, index) => `${quoteIdent(member.name ?? `_field_${index + 1}`)} ${duckDbTypeOf(member.type)}`,
    );
    return `STRUCT(${members.join(', ')})`;
  }
  switch (canonicalType(name)) {
    case 'STRING':
      return 'VARCHAR';
    case 'BYTES':
      return 'BLOB';
    case 'INTEGER':
      return 'BIGINT';
    case 'FLOAT':
      return 'DOUBLE';
    case 'NUMERIC':
      return NUMERIC_DUCKDB;
    case 'BIGNUMERIC':
      return BIGNUMERIC_DUCKDB;
    case 'BOOLEAN':
      return 'BOOLEAN';
    case 'DATE':
      return 'DATE';
    case 'DATETIME':
      return 'TIMESTAMP';
    case 'TIME':
      return 'TIME';
    case 'TIMESTAMP':
      return 'TIMESTAMPTZ';
    case 'JSON':
      return 'JSON';
    default:
      throw new ApiError('invalidQuery', `Parameter type ${type.type} is not emulated`);
  }
}

export function quoteString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** A DuckDB SQL expression of exactly the value and type of a BigQuery parameter value. */
export function sqlLiteral(type: ParameterType, value: ParameterValue | null | undefined): string {
  const duckType = duckDbTypeOf(type);
  const name = type.type.toUpperCase();
  if (name === 'ARRAY') {
    const items = value?.arrayValues;
    if (items === undefined || items.length === 0) {
      return value?.arrayValues === undefined && value?.value === null
        ? `CAST(NULL AS ${duckType})`
        : `CAST([] AS ${duckType})`;
    }
    return `CAST([${items.map((item) => sqlLiteral(type.arrayType!, item)).join(', ')}] AS ${duckType})`;
  }
  if (name === 'STRUCT' || name === 'RECORD') {
    const members = value?.structValues;
    if (members === undefined) return `CAST(NULL AS ${duckType})`;
    const parts = (type.structTypes ?? []).map((member, index) => {
      const key = member.name ?? `_field_${index + 1}`;
      return `${quoteString(key)}: ${sqlLiteral(member.type, members[key])}`;
    });
    return `CAST({${parts.join(', ')}} AS ${duckType})`;
  }
  const raw = value?.value;
  if (raw === undefined || raw === null) return `CAST(NULL AS ${duckType})`;
  if (typeof raw === 'object') {
    if (canonicalType(name) !== 'BYTES' || !Array.isArray(raw.data)) throw invalidValue(type.type);
    return `from_base64(${quoteString(Buffer.from(raw.data).toString('base64'))})`;
  }
  return scalarLiteral(canonicalType(name), String(raw), duckType);
}

const integerPattern = /^[+-]?\d+$/;
const decimalPattern = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const floatWords: Record<string, string> = {
  nan: 'NaN',
  infinity: 'Infinity',
  '+infinity': 'Infinity',
  '-infinity': '-Infinity',
  inf: 'Infinity',
  '-inf': '-Infinity',
};

function scalarLiteral(type: ReturnType<typeof canonicalType>, raw: string, duckType: string): string {
  switch (type) {
    case 'INTEGER':
      if (!integerPattern.test(raw.trim())) throw invalidValue('INT64');
      return `CAST(${quoteString(raw.trim())} AS BIGINT)`;
    case 'FLOAT': {
      const word = floatWords[raw.trim().toLowerCase()];
      if (word === undefined && !decimalPattern.test(raw.trim())) throw invalidValue('FLOAT64');
      return `CAST(${quoteString(word ?? raw.trim())} AS DOUBLE)`;
    }
    case 'NUMERIC':
    case 'BIGNUMERIC':
      if (!decimalPattern.test(raw.trim())) throw invalidValue(type);
      return `CAST(${quoteString(raw.trim())} AS ${duckType})`;
    case 'BOOLEAN': {
      const lower = raw.trim().toLowerCase();
      if (lower !== 'true' && lower !== 'false') throw invalidValue('BOOL');
      return lower === 'true' ? 'TRUE' : 'FALSE';
    }
    case 'BYTES':
      if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(raw)) throw invalidValue('BYTES');
      return `from_base64(${quoteString(raw.replace(/-/g, '+').replace(/_/g, '/'))})`;
    case 'DATETIME':
      return `CAST(${quoteString(raw.replace('T', ' '))} AS TIMESTAMP)`;
    case 'TIMESTAMP':
      return timestampLiteral(raw);
    case 'JSON':
      return `CAST(${quoteString(raw)} AS JSON)`;
    default:
      return `CAST(${quoteString(raw)} AS ${duckType})`;
  }
}

/** TIMESTAMP text (any offset, `Z` or none = UTC) or epoch seconds, as a TIMESTAMPTZ. */
function timestampLiteral(raw: string): string {
  const trimmed = raw.trim();
  if (decimalPattern.test(trimmed)) {
    return `CAST(make_timestamp(CAST(round(CAST(${quoteString(trimmed)} AS DECIMAL(38,9)) * 1000000) AS BIGINT)) AS TIMESTAMPTZ)`;
  }
  // GoogleSQL accepts "UTC" and a space before the offset; DuckDB wants a bare offset.
  const normalised = trimmed.replace(/\s+UTC$/i, '+00').replace(/ ([+-]\d{2}(:?\d{2})?)$/, '$1');
  return `CAST(${quoteString(normalised)} AS TIMESTAMPTZ)`;
}

/** The message names the type, never the value (values may be exported data). */
function invalidValue(type: string): ApiError {
  return new ApiError('invalidQuery', `Invalid ${type} value`);
}
