import type { AddressInfo } from 'node:net';
import { Catalog, META_SCHEMA, qualifiedName } from './catalog/catalog.js';
import { DuckDbEngine } from './engine/duckdb-engine.js';
import { TableFaults, type TransientReason } from './faults/table-faults.js';
import { addDatasetRoutes } from './handlers/dataset-handlers.js';
import { addJobRoutes } from './handlers/job-handlers.js';
import { addTableRoutes } from './handlers/table-handlers.js';
import { addTabledataRoutes } from './handlers/tabledata-handlers.js';
import type { ApiContext } from './handlers/api-context.js';
import { createApiServer } from './http/http-server.js';
import { Router } from './http/router.js';
import type { JobRecord } from './jobs/job-record.js';
import { QueryRunner, RESULTS_DB } from './jobs/query-runner.js';
import { quoteIdent } from './schema/type-mapping.js';
import { macroDefinitions } from './sql/googlesql-functions.js';
import { InsertIdWindow } from './tabledata/insert-id-window.js';
import { quoteString } from './values/sql-literal.js';
import {
  startStorageReadServer,
  type StorageFaults,
  type StorageReadOptions,
} from './storage/storage-read-server.js';

export interface LocalBigQueryOptions {
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** A DuckDB file path (kept across restarts) or ':memory:' (default). */
  readonly database?: string;
  /** Default 'local-project'. */
  readonly projectId?: string;
  /** DuckDB worker threads, default 2. */
  readonly threads?: number;
  /** How long insertAll remembers an insertId, default 60 000 ms. */
  readonly insertIdWindowMs?: number;
  /** Rows per result page when a request gives no maxResults, default 10 000. */
  readonly pageRows?: number;
  /** Port of the Storage Read API (gRPC); 0 (default) picks a free port. */
  readonly storagePort?: number;
  /** Storage Read API tuning (rows per Arrow batch, session lifetime). */
  readonly storage?: StorageReadOptions;
}

export interface LoadFileOptions {
  readonly datasetId: string;
  readonly tableId: string;
  /** A CSV or Parquet file, read by DuckDB's own readers. */
  readonly path: string;
  /** Default: from the file name (.parquet → parquet, else csv). */
  readonly format?: 'csv' | 'parquet';
}

export interface LocalBigQuery {
  /** `http://HOST:PORT`, the client's `apiEndpoint`. */
  readonly endpoint: string;
  readonly port: number;
  readonly projectId: string;
  /** `HOST:PORT` of the Storage Read API, for `BIGQUERY_STORAGE_EMULATOR_HOST` (insecure gRPC). */
  readonly storageHost: string;
  /** Fault control of the Storage Read API (see `StorageFaults`). */
  readonly storage: StorageFaults;
  stop(): Promise<void>;
  /** Drops every dataset, job, remembered insertId and armed fault. */
  reset(): Promise<void>;
  /** Runs GoogleSQL statements (one per string, or `;`-separated) as query jobs would. */
  seed(sql: string | readonly string[]): Promise<void>;
  /** Creates (or replaces) a table from a CSV or Parquet file; the dataset is made if missing. */
  loadFile(options: LoadFileOptions): Promise<void>;
  /** Runs raw DuckDB SQL (for inspecting state in tests); rows as JSON-friendly objects. */
  duckdb(sql: string): Promise<Record<string, unknown>[]>;
  /**
   * Fault control: queries naming the table fail with 403 `accessDenied`, as for a principal
   * that lost `bigquery.tables.getData`, until `restoreAccess`.
   */
  denyAccess(datasetId: string, tableId: string): void;
  restoreAccess(datasetId: string, tableId: string): void;
  /**
   * Fault control: the next `count` queries naming the table fail with `reason`: 500
   * `backendError` (default; the client library retries it itself) or 403 `quotaExceeded`
   * (left to the caller). 0 disarms.
   */
  failQueries(datasetId: string, tableId: string, count: number, reason?: TransientReason): void;
  /** Fault control: the next `count` insertAll calls into the table fail the same way; 0 disarms. */
  failInserts(datasetId: string, tableId: string, count: number, reason?: TransientReason): void;
}

/** Starts the emulator: DuckDB opened, HTTP server listening. */
export async function startLocalBigQuery(options: LocalBigQueryOptions = {}): Promise<LocalBigQuery> {
  const projectId = options.projectId ?? 'local-project';
  const host = options.host ?? '127.0.0.1';
  const engine = await DuckDbEngine.open(
    { database: options.database ?? ':memory:', threads: options.threads ?? 2 },
    [`ATTACH ':memory:' AS ${RESULTS_DB}`, ...macroDefinitions],
  );
  const catalog = new Catalog(engine, projectId);
  await catalog.init();
  const faults = new TableFaults();
  const runner = new QueryRunner(engine, catalog, faults);
  const jobs = new Map<string, JobRecord>();
  const insertIds = new InsertIdWindow(options.insertIdWindowMs ?? 60_000);
  const context: ApiContext = {
    projectId,
    location: 'US',
    engine,
    catalog,
    runner,
    jobs,
    insertIds,
    faults,
    pageRows: options.pageRows ?? 10_000,
  };
  const router = new Router();
  addDatasetRoutes(router, context);
  addTableRoutes(router, context);
  addTabledataRoutes(router, context);
  addJobRoutes(router, context);
  const server = createApiServer(router);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const storage = await startStorageReadServer(
    { projectId, engine, catalog, jobs },
    host,
    options.storagePort ?? 0,
    options.storage,
  );

  const runGoogleSql = async (query: string): Promise<void> => {
    await runner.run({ jobId: 'seed', location: 'US', request: { query }, configuration: {}, dryRun: false });
  };

  return {
    endpoint: `http://${host}:${port}`,
    port,
    projectId,
    storageHost: storage.host,
    storage,
    async stop() {
      await storage.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      engine.close();
    },
    async reset() {
      jobs.clear();
      faults.clear();
      storage.clear();
      insertIds.clear();
      await runner.clear();
      for (const datasetId of await catalog.listDatasets()) await catalog.deleteDataset(datasetId, true);
      await engine.all(`DELETE FROM ${META_SCHEMA}.datasets; DELETE FROM ${META_SCHEMA}.tables;`);
    },
    async seed(sql) {
      const statements = typeof sql === 'string' ? splitStatements(sql) : sql;
      for (const statement of statements) await runGoogleSql(statement);
    },
    async loadFile({ datasetId, tableId, path, format }) {
      Catalog.checkId('Dataset', datasetId);
      Catalog.checkId('Table', tableId);
      const reader =
        (format ?? (path.endsWith('.parquet') ? 'parquet' : 'csv')) === 'parquet'
          ? 'read_parquet'
          : 'read_csv_auto';
      await runner.preserve(datasetId, tableId);
      await engine.all(
        `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(datasetId)};
         CREATE OR REPLACE TABLE ${qualifiedName(datasetId, tableId)} AS SELECT * FROM ${reader}(${quoteString(path)});`,
      );
      catalog.markWritten(datasetId, tableId);
    },
    async duckdb(sql) {
      const result = await engine.all(sql);
      return result.getRowObjectsJson();
    },
    denyAccess: (datasetId, tableId) => faults.deny(datasetId, tableId),
    restoreAccess: (datasetId, tableId) => faults.restore(datasetId, tableId),
    failQueries: (datasetId, tableId, count, reason) => faults.failNext(datasetId, tableId, count, reason),
    failInserts: (datasetId, tableId, count, reason) =>
      faults.failNextInserts(datasetId, tableId, count, reason),
  };
}

/** Splits a script on `;` outside quotes and comments (seed files). */
export function splitStatements(script: string): string[] {
  const statements: string[] = [];
  let current = '';
  let quote: string | undefined;
  for (let i = 0; i < script.length; i++) {
    const c = script[i]!;
    if (quote !== undefined) {
      current += c;
      if (c === '\\') {
        current += script[i + 1] ?? '';
        i++;
      } else if (c === quote) quote = undefined;
      continue;
    }
    if (c === "'" || c === '"' || c === '`') {
      quote = c;
      current += c;
    } else if (c === '-' && script[i + 1] === '-') {
      while (i < script.length && script[i] !== '\n') i++;
      current += '\n';
    } else if (c === ';') {
      if (current.trim() !== '') statements.push(current.trim());
      current = '';
    } else {
      current += c;
    }
  }
  if (current.trim() !== '') statements.push(current.trim());
  return statements;
}
