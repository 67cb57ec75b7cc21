/** A BigQuery schema field (`TableFieldSchema`), as the REST API sends it. */
export interface TableField {
  name: string;
  type: string;
  mode?: 'NULLABLE' | 'REQUIRED' | 'REPEATED' | undefined;
  fields?: TableField[] | undefined;
  description?: string | undefined;
}

/** The canonical legacy type names the REST API answers with. */
export type CanonicalType =
  | 'STRING'
  | 'BYTES'
  | 'INTEGER'
  | 'FLOAT'
  | 'NUMERIC'
  | 'BIGNUMERIC'
  | 'BOOLEAN'
  | 'DATE'
  | 'DATETIME'
  | 'TIME'
  | 'TIMESTAMP'
  | 'JSON'
  | 'RECORD';

const aliases: Record<string, CanonicalType> = {
  STRING: 'STRING',
  BYTES: 'BYTES',
  INTEGER: 'INTEGER',
  INT64: 'INTEGER',
  FLOAT: 'FLOAT',
  FLOAT64: 'FLOAT',
  NUMERIC: 'NUMERIC',
  DECIMAL: 'NUMERIC',
  BIGNUMERIC: 'BIGNUMERIC',
  BIGDECIMAL: 'BIGNUMERIC',
  BOOLEAN: 'BOOLEAN',
  BOOL: 'BOOLEAN',
  DATE: 'DATE',
  DATETIME: 'DATETIME',
  TIME: 'TIME',
  TIMESTAMP: 'TIMESTAMP',
  JSON: 'JSON',
  RECORD: 'RECORD',
  STRUCT: 'RECORD',
};

/** The canonical name of a BigQuery type name or alias, or undefined when not emulated. */
export function canonicalType(type: string): CanonicalType | undefined {
  return aliases[type.toUpperCase()];
}
