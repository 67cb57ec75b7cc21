import { DomainError } from '@bq-sftp-export/export-domain';

/** The BigQuery scalar types an export can carry, by their GoogleSQL names. */
export type BigQueryType =
  | 'STRING'
  | 'BYTES'
  | 'INT64'
  | 'FLOAT64'
  | 'NUMERIC'
  | 'BIGNUMERIC'
  | 'BOOL'
  | 'DATE'
  | 'DATETIME'
  | 'TIME'
  | 'TIMESTAMP'
  | 'JSON'
  | 'GEOGRAPHY';

/** One exported column: its name and BigQuery type (from the query result's schema). */
export interface ColumnSchema {
  readonly name: string;
  readonly type: BigQueryType;
}

const legacyNames: Readonly<Record<string, BigQueryType>> = {
  INTEGER: 'INT64',
  FLOAT: 'FLOAT64',
  BOOLEAN: 'BOOL',
};
const scalarTypes = new Set<string>([
  'STRING',
  'BYTES',
  'INT64',
  'FLOAT64',
  'NUMERIC',
  'BIGNUMERIC',
  'BOOL',
  'DATE',
  'DATETIME',
  'TIME',
  'TIMESTAMP',
  'JSON',
  'GEOGRAPHY',
]);

/**
 * Maps a schema field from the BigQuery API (`{name, type, mode}`, legacy type names such as
 * `INTEGER`) to a column. Nested and repeated fields cannot be flattened into a file row and
 * are refused, as BigQuery's own CSV export refuses them.
 */
export function columnFromField(field: {
  name: string;
  type?: string | undefined;
  mode?: string | undefined;
}): ColumnSchema {
  const raw = (field.type ?? '').toUpperCase();
  const type = legacyNames[raw] ?? raw;
  if (!scalarTypes.has(type) || field.mode === 'REPEATED') {
    throw new DomainError(
      'COLUMN_TYPE_UNSUPPORTED',
      `column ${field.name} has type ${raw}${field.mode === 'REPEATED' ? ' (REPEATED)' : ''}, which cannot be exported to a flat file`,
      'columns',
    );
  }
  return { name: field.name, type: type as BigQueryType };
}

/** Types whose text is a number (no quoting under the `nonnumeric` policy). */
export function isNumericType(type: BigQueryType): boolean {
  return type === 'INT64' || type === 'FLOAT64' || type === 'NUMERIC' || type === 'BIGNUMERIC';
}

/** A result row as the SDK yields it: values keyed by column name. */
export type ExportRow = Readonly<Record<string, unknown>>;
