/** A table a statement names, as dataset and table. */
export interface TableRef {
  readonly dataset: string;
  readonly table: string;
}

/** BigQuery's `statementType` values this emulator runs. */
export type StatementType =
  | 'SELECT'
  | 'INSERT'
  | 'UPDATE'
  | 'DELETE'
  | 'MERGE'
  | 'CREATE_TABLE'
  | 'CREATE_TABLE_AS_SELECT'
  | 'CREATE_VIEW'
  | 'CREATE_SCHEMA'
  | 'DROP_TABLE'
  | 'DROP_VIEW'
  | 'DROP_SCHEMA'
  | 'TRUNCATE_TABLE'
  | 'ALTER_TABLE';

export interface Translation {
  /** The DuckDB SQL to run. */
  readonly sql: string;
  readonly statementType: StatementType;
  /** Every table named in a FROM/JOIN/INTO/UPDATE/TABLE/VIEW position. */
  readonly tables: readonly TableRef[];
  /** `FOR SYSTEM_TIME AS OF` clauses: the table and the DuckDB expression of the time. */
  readonly snapshots: readonly { readonly table: TableRef; readonly at: string }[];
}

export interface TranslateOptions {
  readonly projectId: string;
  readonly defaultDataset?: string | undefined;
  /** Named parameters, by lower-cased name, as DuckDB SQL literals. */
  readonly namedParameters: ReadonlyMap<string, string>;
  /** Positional parameters, in order, as DuckDB SQL literals. */
  readonly positionalParameters: readonly string[];
}
