import type { ExportQuery } from '@bq-sftp-export/export-domain';
import { parseInstant } from '@bq-sftp-export/export-domain';

import type { RowSource, RowStream } from '../application/row-source.port.js';
import type { ColumnSchema, ExportRow } from '../domain/encoding/column-schema.js';

export interface FakeTableRow {
  readonly row: ExportRow;
  /** Microseconds since the epoch the row became visible (for `FOR SYSTEM_TIME AS OF`). */
  readonly insertedAt?: bigint;
}

/**
 * A RowSource over rows in memory that honours what the export query asks of BigQuery: the
 * snapshot (`@snapshot`, rows inserted later are invisible) and the window on one timestamp
 * column (`@low` ≤ ts < `@high`). Rows carry TIMESTAMP values as the SDK yields them (`{value}`).
 */
export class FakeRowSource implements RowSource {
  readonly queries: ExportQuery[] = [];
  table: FakeTableRow[] = [];
  /** When set, rows wait for it before the first one (a long-running query). */
  gate: Promise<void> | undefined;
  private failures: Error[] = [];
  private countFailures: Error[] = [];

  constructor(
    readonly columns: readonly ColumnSchema[],
    private readonly timestampColumn: string,
  ) {}

  insert(row: ExportRow, insertedAt?: bigint): void {
    this.table.push(insertedAt === undefined ? { row } : { row, insertedAt });
  }

  /** The next `openRows` rejects with `error`. */
  failNext(error: Error): void {
    this.failures.push(error);
  }

  /** The next `countRows` rejects with `error`. */
  failNextCount(error: Error): void {
    this.countFailures.push(error);
  }

  /**
   * The late-row count query (`planLateRowsCount`): rows in `[@horizon, @below)` visible at
   * `@snapshot` minus those visible at `@previous`.
   */
  countRows(query: ExportQuery): Promise<number> {
    this.queries.push(query);
    const failure = this.countFailures.shift();
    if (failure !== undefined) return Promise.reject(failure);
    const at = (name: string): bigint => parseInstant(query.params[name]!.value);
    const [from, below] = [at('horizon'), at('below')];
    const visible = (snapshot: bigint): number =>
      this.table.filter((entry) => {
        const ts = parseInstant((entry.row[this.timestampColumn] as { value: string }).value);
        return (entry.insertedAt === undefined || entry.insertedAt <= snapshot) && ts >= from && ts < below;
      }).length;
    return Promise.resolve(visible(at('snapshot')) - visible(at('previous')));
  }

  openRows(query: ExportQuery): Promise<RowStream> {
    this.queries.push(query);
    const failure = this.failures.shift();
    if (failure !== undefined) return Promise.reject(failure);
    const bound = (name: string): bigint | undefined => {
      const param = query.params[name];
      return param === undefined ? undefined : parseInstant(param.value);
    };
    const [snapshot, low, high] = [bound('snapshot'), bound('low'), bound('high')];
    const rows = this.table
      .filter(
        (entry) => snapshot === undefined || entry.insertedAt === undefined || entry.insertedAt <= snapshot,
      )
      .map((entry) => entry.row)
      .filter((row) => {
        const ts = parseInstant((row[this.timestampColumn] as { value: string }).value);
        return (low === undefined || ts >= low) && (high === undefined || ts < high);
      });
    const gate = this.gate;
    async function* iterate(): AsyncGenerator<ExportRow> {
      await gate;
      for (const row of rows) {
        await Promise.resolve();
        yield row;
      }
    }
    return Promise.resolve({ columns: this.columns, rows: iterate() });
  }
}
