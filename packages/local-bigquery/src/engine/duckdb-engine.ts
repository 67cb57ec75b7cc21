import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection, DuckDBResultReader, DuckDBValue } from '@duckdb/node-api';

export interface DuckDbEngineOptions {
  /** A file path, or `:memory:`. */
  readonly database: string;
  /** DuckDB worker threads; keep small on small machines. */
  readonly threads: number;
}

/**
 * One DuckDB database and one connection, with every statement run one at a time: the HTTP
 * handlers are concurrent, the connection is not meant to be.
 */
export class DuckDbEngine {
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  /** Opens the database; `setup` SQL runs once on the connection (session settings, macros). */
  static async open(options: DuckDbEngineOptions, setup: readonly string[]): Promise<DuckDbEngine> {
    const instance = await DuckDBInstance.create(options.database, {
      threads: String(options.threads),
      // BigQuery sorts NULLs first ascending and last descending.
      default_null_order: 'nulls_first_on_asc_last_on_desc',
      // No network: every extension used (json, parquet, icu) is built into the npm binary.
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
    });
    const connection = await instance.connect();
    try {
      // BigQuery works in UTC; a zone-less TIMESTAMP literal is UTC there, so it is here too.
      await connection.run("SET TimeZone = 'UTC'");
      for (const sql of setup) await connection.run(sql);
    } catch (error) {
      connection.closeSync();
      instance.closeSync();
      throw error;
    }
    return new DuckDbEngine(instance, connection);
  }

  /** Runs `work` with the connection once every earlier piece of work has finished. */
  exclusive<T>(work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    const run = this.queue.then(() => work(this.connection));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Runs SQL (one or more statements) and reads the last statement's result completely. */
  all(sql: string): Promise<DuckDBResultReader> {
    return this.exclusive((connection) => connection.runAndReadAll(sql));
  }

  /** Runs SQL and returns the last statement's rows as objects of DuckDB values. */
  async rows(sql: string): Promise<Record<string, DuckDBValue>[]> {
    const result = await this.all(sql);
    return result.getRowObjects();
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}
