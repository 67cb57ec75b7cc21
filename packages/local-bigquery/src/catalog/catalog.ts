import { ApiError } from '../http/api-error.js';
import type { DuckDbEngine } from '../engine/duckdb-engine.js';
import { fieldFromDuckDb } from '../schema/result-schema.js';
import type { TableField } from '../schema/table-field.js';
import { columnDefinitions, quoteIdent } from '../schema/type-mapping.js';
import { quoteString } from '../values/sql-literal.js';
import type { StoredDataset, StoredTable } from './resources.js';

/** DuckDB schemas that are not datasets. */
export const META_SCHEMA = '_bq_meta';
/** How far back `FOR SYSTEM_TIME AS OF` reaches: BigQuery's time-travel window, 7 days. */
export const TIME_TRAVEL_MICROS = 7n * 24n * 3600n * 1_000_000n;
const hiddenSchemas = ['main', 'information_schema', 'pg_catalog', META_SCHEMA];

export interface TableInfo {
  readonly stored: StoredTable | undefined;
  readonly kind: 'TABLE' | 'VIEW';
  readonly fields: TableField[];
}

const identifierPattern = /^[A-Za-z0-9_-]{1,1024}$/;

export function qualifiedName(datasetId: string, tableId: string): string {
  return `${quoteIdent(datasetId)}.${quoteIdent(tableId)}`;
}

/**
 * Datasets are DuckDB schemas, tables and views are DuckDB tables and views; the resource
 * fields DuckDB cannot hold (descriptions, labels, the exact BigQuery schema) live in
 * `_bq_meta`, so a database file keeps them across restarts.
 */
export class Catalog {
  /** Each table's change times (microseconds), oldest first. */
  private readonly writes = new Map<string, bigint[]>();
  private readonly startedMicros = BigInt(Date.now()) * 1000n;

  constructor(
    private readonly engine: DuckDbEngine,
    readonly projectId: string,
  ) {}

  async init(): Promise<void> {
    await this.engine.all(
      `CREATE SCHEMA IF NOT EXISTS ${META_SCHEMA};
       CREATE TABLE IF NOT EXISTS ${META_SCHEMA}.datasets (dataset_id VARCHAR PRIMARY KEY, resource VARCHAR NOT NULL);
       CREATE TABLE IF NOT EXISTS ${META_SCHEMA}.tables (dataset_id VARCHAR, table_id VARCHAR, resource VARCHAR NOT NULL, PRIMARY KEY (dataset_id, table_id));`,
    );
  }

  static checkId(kind: 'Dataset' | 'Table', id: string): void {
    if (!identifierPattern.test(id))
      throw new ApiError('invalid', `Invalid ${kind.toLowerCase()} ID "${id}"`);
  }

  async listDatasets(): Promise<string[]> {
    const rows = await this.engine.rows(
      `SELECT schema_name FROM duckdb_schemas() WHERE database_name = current_database() AND NOT internal
         AND schema_name NOT IN (${hiddenSchemas.map(quoteString).join(', ')}) ORDER BY schema_name`,
    );
    return rows.map((row) => String(row['schema_name']));
  }

  async datasetExists(datasetId: string): Promise<boolean> {
    return (await this.listDatasets()).includes(datasetId);
  }

  async requireDataset(datasetId: string): Promise<void> {
    if (!(await this.datasetExists(datasetId))) {
      throw new ApiError('notFound', `Not found: Dataset ${this.projectId}:${datasetId}`);
    }
  }

  async storedDataset(datasetId: string): Promise<StoredDataset | undefined> {
    const rows = await this.engine.rows(
      `SELECT resource FROM ${META_SCHEMA}.datasets WHERE dataset_id = ${quoteString(datasetId)}`,
    );
    return rows[0] === undefined ? undefined : (JSON.parse(String(rows[0]['resource'])) as StoredDataset);
  }

  async createDataset(stored: StoredDataset): Promise<void> {
    const id = stored.datasetReference.datasetId;
    Catalog.checkId('Dataset', id);
    if (await this.datasetExists(id))
      throw new ApiError('duplicate', `Already Exists: Dataset ${this.projectId}:${id}`);
    await this.engine.all(`CREATE SCHEMA ${quoteIdent(id)}; ${this.upsertDatasetSql(stored)}`);
  }

  async saveDataset(stored: StoredDataset): Promise<void> {
    await this.engine.all(this.upsertDatasetSql(stored));
  }

  private upsertDatasetSql(stored: StoredDataset): string {
    return `INSERT OR REPLACE INTO ${META_SCHEMA}.datasets VALUES (${quoteString(stored.datasetReference.datasetId)}, ${quoteString(JSON.stringify(stored))});`;
  }

  async deleteDataset(datasetId: string, deleteContents: boolean): Promise<void> {
    await this.requireDataset(datasetId);
    if (!deleteContents && (await this.listTables(datasetId)).length > 0) {
      throw new ApiError('resourceInUse', `Dataset ${this.projectId}:${datasetId} is still in use`);
    }
    const id = quoteString(datasetId);
    await this.engine.all(
      `DROP SCHEMA ${quoteIdent(datasetId)} CASCADE;
       DELETE FROM ${META_SCHEMA}.datasets WHERE dataset_id = ${id};
       DELETE FROM ${META_SCHEMA}.tables WHERE dataset_id = ${id};`,
    );
  }

  /** Table and view names of a dataset, with their kind. */
  async listTables(datasetId: string): Promise<{ tableId: string; kind: 'TABLE' | 'VIEW' }[]> {
    const schema = quoteString(datasetId);
    const rows = await this.engine.rows(
      `SELECT table_name AS name, 'TABLE' AS kind FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = ${schema} AND NOT temporary
       UNION ALL
       SELECT view_name, 'VIEW' FROM duckdb_views() WHERE database_name = current_database() AND schema_name = ${schema} AND NOT internal AND NOT temporary
       ORDER BY 1`,
    );
    return rows.map((row) => ({
      tableId: String(row['name']),
      kind: row['kind'] === 'VIEW' ? 'VIEW' : 'TABLE',
    }));
  }

  async tableInfo(datasetId: string, tableId: string): Promise<TableInfo> {
    const entry = (await this.listTables(datasetId)).find((table) => table.tableId === tableId);
    if (entry === undefined) {
      throw new ApiError('notFound', `Not found: Table ${this.projectId}:${datasetId}.${tableId}`);
    }
    const rows = await this.engine.rows(
      `SELECT resource FROM ${META_SCHEMA}.tables WHERE dataset_id = ${quoteString(datasetId)} AND table_id = ${quoteString(tableId)}`,
    );
    const stored =
      rows[0] === undefined ? undefined : (JSON.parse(String(rows[0]['resource'])) as StoredTable);
    const probe = await this.engine.all(`SELECT * FROM ${qualifiedName(datasetId, tableId)} LIMIT 0`);
    const derived = probe
      .columnNames()
      .map((name, index) => fieldFromDuckDb(name, probe.columnTypes()[index]!));
    const storedFields = stored?.schema?.fields;
    // The stored schema keeps modes and descriptions; it is used while it still matches DuckDB's columns.
    const matches =
      storedFields !== undefined &&
      storedFields.map((field) => field.name).join('\u0000') ===
        derived.map((field) => field.name).join('\u0000');
    return { stored, kind: entry.kind, fields: matches ? storedFields : derived };
  }

  async createTable(stored: StoredTable, viewSql: string | undefined): Promise<void> {
    const { datasetId, tableId } = stored.tableReference;
    Catalog.checkId('Table', tableId);
    await this.requireDataset(datasetId);
    if ((await this.listTables(datasetId)).some((table) => table.tableId === tableId)) {
      throw new ApiError('duplicate', `Already Exists: Table ${this.projectId}:${datasetId}.${tableId}`);
    }
    const name = qualifiedName(datasetId, tableId);
    const ddl =
      viewSql !== undefined
        ? `CREATE VIEW ${name} AS ${viewSql}`
        : `CREATE TABLE ${name} (${columnDefinitions(stored.schema?.fields ?? [])})`;
    if (viewSql === undefined && (stored.schema?.fields ?? []).length === 0) {
      throw new ApiError('invalid', 'Tables without a schema are not emulated; give a schema');
    }
    await this.engine.all(`${ddl}; ${this.upsertTableSql(stored)}`);
    this.markWritten(datasetId, tableId);
  }

  async saveTable(stored: StoredTable): Promise<void> {
    await this.engine.all(this.upsertTableSql(stored));
  }

  private upsertTableSql(stored: StoredTable): string {
    const { datasetId, tableId } = stored.tableReference;
    return `INSERT OR REPLACE INTO ${META_SCHEMA}.tables VALUES (${quoteString(datasetId)}, ${quoteString(tableId)}, ${quoteString(JSON.stringify(stored))});`;
  }

  async deleteTable(datasetId: string, tableId: string): Promise<void> {
    const info = await this.tableInfo(datasetId, tableId);
    await this.engine.all(
      `DROP ${info.kind === 'VIEW' ? 'VIEW' : 'TABLE'} ${qualifiedName(datasetId, tableId)};
       DELETE FROM ${META_SCHEMA}.tables WHERE dataset_id = ${quoteString(datasetId)} AND table_id = ${quoteString(tableId)};`,
    );
  }

  async rowCount(datasetId: string, tableId: string): Promise<bigint> {
    const rows = await this.engine.rows(`SELECT count(*) AS n FROM ${qualifiedName(datasetId, tableId)}`);
    return BigInt(String(rows[0]?.['n'] ?? 0));
  }

  /** Records a change to a table's rows or definition (for FOR SYSTEM_TIME AS OF checks). */
  markWritten(datasetId: string, tableId: string): void {
    const key = `${datasetId}.${tableId}`;
    const times = this.writes.get(key) ?? [];
    times.push(BigInt(Date.now()) * 1000n);
    this.writes.set(key, times);
  }

  /** The table's changes this process saw after `from` and at or before `to` (microseconds). */
  writtenBetween(datasetId: string, tableId: string, from: bigint, to: bigint): boolean {
    return (this.writes.get(`${datasetId}.${tableId}`) ?? []).some((time) => time > from && time <= to);
  }

  /**
   * The time of the table's last change this process saw, in microseconds; a table last
   * changed before this process started counts as changed at start.
   */
  lastWriteMicros(datasetId: string, tableId: string): bigint {
    return this.writes.get(`${datasetId}.${tableId}`)?.at(-1) ?? this.startedMicros;
  }
}
