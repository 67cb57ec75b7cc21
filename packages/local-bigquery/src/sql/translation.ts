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
  readonly snapshots: readonly SnapshotClause[];
  /** `sql` with the table reference of some snapshot clauses replaced (keys: `SnapshotClause.part`). */
  readonly sqlWith: (replacements: ReadonlyMap<number, string>) => string;
}

/** One `FOR SYSTEM_TIME AS OF` clause. */
export interface SnapshotClause {
  readonly table: TableRef;
  /** The DuckDB expression of the time. */
  readonly at: string;
  /** Which table reference of the statement the clause follows (the key for `sqlWith`). */
  readonly part: number;
}

export interface TranslateOptions {
  readonly projectId: string;
  readonly defaultDataset?: string | undefined;
  /** Named parameters, by lower-cased name, as DuckDB SQL literals. */
  readonly namedParameters: ReadonlyMap<string, string>;
  /** Positional parameters, in order, as DuckDB SQL literals. */
  readonly positionalParameters: readonly string[];
}
