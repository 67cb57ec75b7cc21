import type { TableFaults } from '../faults/table-faults.js';
import { ApiError } from '../http/api-error.js';
import type { Catalog } from '../catalog/catalog.js';
import { META_SCHEMA } from '../catalog/catalog.js';
import type { DuckDbEngine } from '../engine/duckdb-engine.js';
import { fieldFromDuckDb } from '../schema/result-schema.js';
import { quoteIdent } from '../schema/type-mapping.js';
import { translate } from '../sql/translate.js';
import type { Translation } from '../sql/translation.js';
import { quoteString } from '../values/sql-literal.js';
import { rowWidth } from './bytes-estimate.js';
import type { JobRecord } from './job-record.js';
import { parameterLiterals } from './query-parameters.js';
import type { QueryRequest } from './query-request.js';
import { toApiError } from './sql-errors.js';
import { TableHistory } from './table-history.js';

/** The attached in-memory database that holds query results while they are paged through. */
export const RESULTS_DB = 'bq_results';
const KEPT_RESULTS = 50;

export interface RunQueryInput {
  readonly jobId: string;
  readonly location: string;
  readonly request: QueryRequest;
  readonly configuration: Record<string, unknown>;
  readonly dryRun: boolean;
}

/**
 * Runs one query: translate, check, execute. A SELECT is materialised into a result table
 * (pages are rowid ranges of it); DML and DDL report what they changed.
 */
export class QueryRunner {
  private sequence = 0;
  private readonly resultTables: string[] = [];
  private readonly history: TableHistory;

  constructor(
    private readonly engine: DuckDbEngine,
    private readonly catalog: Catalog,
    private readonly faults: TableFaults,
  ) {
    this.history = new TableHistory(engine, catalog, RESULTS_DB);
  }

  async run(input: RunQueryInput): Promise<JobRecord> {
    const creationTime = Date.now();
    const base = {
      jobId: input.jobId,
      location: input.location,
      configuration: input.configuration,
      dryRun: input.dryRun,
      creationTime,
    };
    let translation: Translation | undefined;
    try {
      translation = this.translate(input.request);
      this.faults.check(this.catalog.projectId, translation.tables);
      translation = { ...translation, sql: await this.history.resolve(translation) };
      if (input.dryRun) return { ...base, ...(await this.dryRun(translation)), endTime: Date.now() };
      return { ...base, ...(await this.execute(translation)), endTime: Date.now() };
    } catch (error) {
      throw toApiError(error, this.catalog.projectId, translation?.tables);
    }
  }

  /** Binds the statement (names, types) without running it; a SELECT's schema comes with it. */
  private async dryRun(
    translation: Translation,
  ): Promise<Pick<JobRecord, 'statementType' | 'fields' | 'totalRows' | 'totalBytesProcessed'>> {
    const fields = await this.engine.exclusive(async (connection) => {
      const prepared = await connection.prepare(translation.sql);
      if (translation.statementType !== 'SELECT') return undefined;
      return Array.from({ length: prepared.columnCount }, (_, index) =>
        fieldFromDuckDb(prepared.columnName(index), prepared.columnType(index)),
      );
    });
    return {
      statementType: translation.statementType,
      fields,
      totalRows: 0n,
      totalBytesProcessed: await this.estimateBytes(translation),
    };
  }

  private translate(request: QueryRequest): Translation {
    if (request.useLegacySql === true)
      throw new ApiError('invalidQuery', 'Legacy SQL is not emulated; set useLegacySql: false');
    if (request.destination !== undefined)
      throw new ApiError('invalid', 'Query destination tables are not emulated');
    if (request.query === undefined || request.query.trim() === '')
      throw new ApiError('invalid', 'Required parameter is missing: query');
    const { named, positional } = parameterLiterals(request);
    return translate(request.query, {
      projectId: this.catalog.projectId,
      defaultDataset: request.defaultDataset?.datasetId,
      namedParameters: named,
      positionalParameters: positional,
    });
  }

  /** Row count × schema width of every table read (a DML or DDL target is written, not read). */
  private async estimateBytes(translation: Translation): Promise<bigint> {
    let total = 0n;
    const seen = new Set<string>();
    const read = translation.statementType === 'SELECT' ? translation.tables : translation.tables.slice(1);
    for (const { dataset, table } of read) {
      const key = `${dataset}.${table}`;
      if (seen.has(key)) continue;
      seen.add(key);
      try {
        const info = await this.catalog.tableInfo(dataset, table);
        if (info.kind === 'TABLE')
          total += (await this.catalog.rowCount(dataset, table)) * BigInt(rowWidth(info.fields));
      } catch {
        // Not a dataset table (e.g. an array path); it adds nothing.
      }
    }
    return total;
  }

  private async execute(
    translation: Translation,
  ): Promise<
    Omit<JobRecord, 'jobId' | 'location' | 'configuration' | 'dryRun' | 'creationTime' | 'endTime'>
  > {
    const { statementType } = translation;
    if (statementType === 'SELECT') {
      const resultTable = `${RESULTS_DB}.${quoteIdent(`r${++this.sequence}`)}`;
      const { fields, totalRows } = await this.engine.exclusive(async (connection) => {
        await connection.run(`CREATE TABLE ${resultTable} AS ${translation.sql}`);
        const probe = await connection.runAndReadAll(`SELECT * FROM ${resultTable} LIMIT 0`);
        const count = await connection.runAndReadAll(`SELECT count(*) FROM ${resultTable}`);
        return {
          fields: probe
            .columnNames()
            .map((name, index) => fieldFromDuckDb(name, probe.columnTypes()[index]!)),
          totalRows: BigInt(String(count.getRows()[0]?.[0] ?? 0)),
        };
      });
      await this.retain(resultTable);
      return {
        statementType,
        resultTable,
        fields,
        totalRows,
        totalBytesProcessed: await this.estimateBytes(translation),
      };
    }
    const target = translation.tables[0];
    if (target !== undefined) await this.history.preserve(target.dataset, target.table);
    const result = await this.engine.all(translation.sql);
    if (target !== undefined) {
      this.catalog.markWritten(target.dataset, target.table);
      if (statementType.startsWith('CREATE_') || statementType.startsWith('DROP_'))
        await this.forgetStoredTable(target.dataset, target.table);
    }
    const isDml = ['INSERT', 'UPDATE', 'DELETE', 'MERGE'].includes(statementType);
    const affected = isDml ? BigInt(String(result.getRows()[0]?.[0] ?? 0)) : undefined;
    return { statementType, totalRows: 0n, numDmlAffectedRows: affected, totalBytesProcessed: 0n };
  }

  /** A table (re)made or dropped by SQL is described by DuckDB alone from now on. */
  private async forgetStoredTable(dataset: string, table: string): Promise<void> {
    await this.engine.all(
      `DELETE FROM ${META_SCHEMA}.tables WHERE dataset_id = ${quoteString(dataset)} AND table_id = ${quoteString(table)}`,
    );
  }

  private async retain(resultTable: string): Promise<void> {
    this.resultTables.push(resultTable);
    while (this.resultTables.length > KEPT_RESULTS) {
      const oldest = this.resultTables.shift()!;
      await this.engine.all(`DROP TABLE IF EXISTS ${oldest}`);
    }
  }

  /** Keeps the table's current state for `FOR SYSTEM_TIME AS OF`, if it was read so: call before changing it. */
  async preserve(dataset: string, table: string): Promise<void> {
    await this.history.preserve(dataset, table);
  }

  /** Drops every kept result (on reset). */
  async clear(): Promise<void> {
    for (const table of this.resultTables.splice(0)) await this.engine.all(`DROP TABLE IF EXISTS ${table}`);
    await this.history.clear();
  }
}
