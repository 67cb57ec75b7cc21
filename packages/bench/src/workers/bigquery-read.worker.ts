import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';

import { BigQuery } from '@google-cloud/bigquery';
import { BigQueryRowSource, createReadClient } from '@bq-sftp-export/extractor';
import { clientOptions } from '@bq-sftp-export/local-bigquery';

import { benchColumns, customerLikeRows } from '../data/customer-rows.js';
import { timeInProcess, type Sample } from '../measure/stats.js';
import { argNumber, argString } from './args.js';
import { loadDuckDbTable } from './encode.worker.js';
import { startLocalServerProcess } from './local-server-process.js';
import { seedPlan } from './seed-plan.js';

export interface BigQueryReadResult {
  readonly rows: number;
  /**
   * Samples by path: `storage` (Storage Read API, up to 4 streams side by side), `storage-ordered`
   * (ORDER BY: one stream, read ahead), `rest` (getQueryResults pages), `duckdb` (the same rows
   * from a DuckDB table in this process, one thread).
   */
  readonly samples: Record<string, Sample[]>;
  readonly setUpSeconds: number;
}

const table = 'bench.customers';
const project = 'local-project';

/**
 * Every row of a `--rows` × 22 table read `--runs` times by each path of the extractor's row
 * source from the local BigQuery (its own process) and, as the baseline, from DuckDB in this
 * process; the paths alternate run by run.
 */
export async function bigQueryReadWorker(args: readonly string[]): Promise<BigQueryReadResult> {
  const rows = argNumber(args, 'rows');
  const runs = argNumber(args, 'runs');
  const dir = await mkdtemp(path.join(argString(args, 'dir'), 'read-'));
  const started = process.hrtime.bigint();
  const server = await startLocalServerProcess('local-bigquery', ['endpoint', 'storage']);
  const readClient = createReadClient(server.values['storage'], project);
  try {
    const bigquery = new BigQuery(clientOptions(server.values['endpoint']!, project));
    const plan = seedPlan(rows);
    const distinct = customerLikeRows(plan.seeded);
    await seedTable(bigquery, distinct, plan.doublings);
    const duck = await loadDuckDbTable(dir, distinct, rows);
    const setUpSeconds = Number(process.hrtime.bigint() - started) / 1e9;

    const storage = new BigQueryRowSource(bigquery, { storage: { client: readClient, minRows: 0 } });
    const rest = new BigQueryRowSource(bigquery);
    const read = (source: BigQueryRowSource, ordered: boolean) => async () => {
      const sql = `SELECT * FROM ${table}${ordered ? ' ORDER BY id' : ''}`;
      const result = await source.openRows({ sql, params: {}, types: {}, ordered }, {});
      let count = 0;
      for await (const row of result.rows) if (row !== undefined) count++;
      if (count !== rows) throw new Error(`read ${count} rows, expected ${rows}`);
    };
    const tasks: Record<string, () => Promise<void>> = {
      storage: read(storage, false),
      'storage-ordered': read(storage, true),
      rest: read(rest, false),
      duckdb: async () => {
        const result = await duck.stream(`SELECT * FROM t`);
        let count = 0;
        for (
          let chunk = await result.fetchChunk();
          chunk !== null && chunk.rowCount > 0;
          chunk = await result.fetchChunk()
        )
          count += chunk.getRows().length;
        if (count !== rows) throw new Error(`DuckDB read ${count} rows, expected ${rows}`);
      },
    };
    const samples: Record<string, Sample[]> = {};
    for (let i = 0; i < runs; i++) {
      for (const [name, task] of Object.entries(tasks))
        (samples[name] ??= []).push(await timeInProcess(task));
    }
    return { rows, samples, setUpSeconds };
  } finally {
    await readClient.close();
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** The table through insertAll (the distinct rows), then doubled into itself `doublings` times. */
async function seedTable(
  bigquery: BigQuery,
  distinct: readonly Record<string, unknown>[],
  doublings: number,
): Promise<void> {
  const [dataset] = await bigquery.createDataset('bench');
  const fields = benchColumns.map((column) => ({ name: column.name, type: column.type }));
  const [created] = await dataset.createTable('customers', { schema: { fields } });
  // insertAll JSON: INT64 as text, TIMESTAMP as its ISO text.
  const json = distinct.map((row) =>
    Object.fromEntries(
      Object.entries(row).map(([name, value]) => [
        name,
        typeof value === 'bigint'
          ? value.toString()
          : ((value as { value?: unknown } | null)?.value ?? value),
      ]),
    ),
  );
  for (let start = 0; start < json.length; start += 5000)
    await created.insert(json.slice(start, start + 5000));
  for (let i = 0; i < doublings; i++)
    await bigquery.query({ query: `INSERT INTO ${table} SELECT * FROM ${table}`, useLegacySql: false });
}
