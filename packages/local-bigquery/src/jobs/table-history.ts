import type { Catalog } from '../catalog/catalog.js';
import { qualifiedName, TIME_TRAVEL_MICROS } from '../catalog/catalog.js';
import type { DuckDbEngine } from '../engine/duckdb-engine.js';
import { ApiError } from '../http/api-error.js';
import { quoteIdent } from '../schema/type-mapping.js';
import type { SnapshotClause, Translation } from '../sql/translation.js';

/** A kept copy of a table: its rows as they were from `from` until the table's next change. */
interface TableVersion {
  readonly from: bigint;
  readonly name: string;
}

/**
 * `FOR SYSTEM_TIME AS OF` for the emulator. BigQuery answers with the table as it was at any
 * time within the last 7 days. The emulator remembers which states of a table a query read `AS
 * OF` a time, and copies such a state just before the table's next change (copy on write, so a
 * table that is read and never changed again costs nothing); an earlier time is answered from the
 * copy of the state current then. A time with no copy (a state no query read `AS OF`, or one
 * from before this process started) fails with `invalidQuery` rather than answering with rows
 * that did not exist then; a time older than 7 days fails as BigQuery fails it.
 */
export class TableHistory {
  private readonly versions = new Map<string, TableVersion[]>();
  /** Per table, the last change before a state that a query read `AS OF` (not copied yet). */
  private readonly read = new Map<string, bigint>();
  private sequence = 0;

  constructor(
    private readonly engine: DuckDbEngine,
    private readonly catalog: Catalog,
    private readonly database: string,
  ) {}

  /** The statement's SQL with every snapshot clause resolved to the current table or a copy. */
  async resolve(translation: Translation): Promise<string> {
    const replacements = new Map<number, string>();
    const now = BigInt(Date.now()) * 1000n;
    for (const clause of translation.snapshots) {
      const at = await this.micros(clause.at);
      const { dataset, table } = clause.table;
      if (at < now - TIME_TRAVEL_MICROS) {
        throw new ApiError(
          'invalidQuery',
          `Invalid snapshot time ${at / 1000n} for table ${this.catalog.projectId}:${dataset}.${table}. Cannot read before ${(now - TIME_TRAVEL_MICROS) / 1000n}`,
        );
      }
      const lastWrite = this.catalog.lastWriteMicros(dataset, table);
      if (at >= lastWrite) {
        this.read.set(`${dataset}.${table}`, lastWrite);
        continue;
      }
      const version = this.versionAt(clause, at);
      if (version === undefined || clause.part < 0) {
        throw new ApiError(
          'invalidQuery',
          `FOR SYSTEM_TIME AS OF ${dataset}.${table}: the time is before the table's last change, and the emulator kept no copy of the table as it was then (it keeps one only when a query read that state AS OF a time)`,
        );
      }
      replacements.set(clause.part, version.name);
    }
    return replacements.size === 0 ? translation.sql : translation.sqlWith(replacements);
  }

  /** Drops every copy (on reset). */
  async clear(): Promise<void> {
    const names = [...this.versions.values()].flat().map((version) => version.name);
    this.versions.clear();
    this.read.clear();
    for (const name of names) await this.engine.all(`DROP TABLE IF EXISTS ${name}`);
  }

  private async micros(expression: string): Promise<bigint> {
    const rows = await this.engine.rows(`SELECT epoch_us(CAST((${expression}) AS TIMESTAMPTZ)) AS t`);
    return BigInt(String(rows[0]?.['t']));
  }

  /** The copy of the table's state current at `at`: made since the last change before `at`. */
  private versionAt(clause: SnapshotClause, at: bigint): TableVersion | undefined {
    const { dataset, table } = clause.table;
    const candidates = (this.versions.get(`${dataset}.${table}`) ?? []).filter(
      (version) => version.from <= at,
    );
    const version = candidates.at(-1);
    if (version === undefined || this.catalog.writtenBetween(dataset, table, version.from, at))
      return undefined;
    return version;
  }

  /**
   * Called just before a change to the table: copies its current rows if a query read this state
   * `AS OF` a time (and it is not copied yet), and drops copies whose state ended 7 days ago.
   */
  async preserve(dataset: string, table: string): Promise<void> {
    const key = `${dataset}.${table}`;
    const lastWrite = this.catalog.lastWriteMicros(dataset, table);
    if (this.read.get(key) !== lastWrite) return;
    this.read.delete(key);
    const kept = this.versions.get(key) ?? [];
    if (kept.at(-1)?.from === lastWrite) return;
    // A state read while the table did not exist (dropped: the read failed as not found) has no rows to keep.
    const exists = (await this.catalog.listTables(dataset)).some((entry) => entry.tableId === table);
    if (!exists) return;
    const name = `${this.database}.${quoteIdent(`history_${++this.sequence}`)}`;
    await this.engine.all(`CREATE TABLE ${name} AS SELECT * FROM ${qualifiedName(dataset, table)}`);
    const horizon = BigInt(Date.now()) * 1000n - TIME_TRAVEL_MICROS;
    // A copy is kept while its state could still be asked for: until its successor is 7 days old.
    const expired = kept.filter((version, index) => (kept[index + 1]?.from ?? lastWrite) < horizon);
    for (const version of expired) await this.engine.all(`DROP TABLE IF EXISTS ${version.name}`);
    this.versions.set(key, [
      ...kept.filter((version) => !expired.includes(version)),
      { from: lastWrite, name },
    ]);
  }
}
