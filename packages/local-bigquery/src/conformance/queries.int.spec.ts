import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { BigQuery } from '@google-cloud/bigquery';
import { clientOptions } from '../client-options.js';
import { startLocalBigQuery } from '../local-bigquery.js';
import type { LocalBigQuery } from '../local-bigquery.js';

const PROJECT = 'query-project';

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('query jobs and the project SQL through @google-cloud/bigquery', () => {
  let local: LocalBigQuery;
  let bigquery: BigQuery;

  beforeAll(async () => {
    local = await startLocalBigQuery({ projectId: PROJECT, pageRows: 100 });
    bigquery = new BigQuery(clientOptions(local.endpoint, local.projectId));
    await local.seed(`
      CREATE SCHEMA exports;
      CREATE TABLE IF NOT EXISTS \`${PROJECT}.exports.orders\` (
        order_id STRING NOT NULL,
        amount NUMERIC,
        updated_at TIMESTAMP,
        tags ARRAY<STRING>,
        detail STRUCT<source STRING, attempt INT64>
      ) PARTITION BY DATE(updated_at) CLUSTER BY order_id OPTIONS (description = 'orders');
    `);
  });
  afterAll(async () => {
    await local.stop();
  });

  it('runs DML INSERT with parameters and reports the affected row count', async () => {
    const [job] = await bigquery.createQueryJob({
      query: `INSERT INTO \`${PROJECT}.exports.orders\` (order_id, amount, updated_at, tags, detail)
              VALUES (@id1, @amount, @at1, ['a'], STRUCT('web' AS source, 1 AS attempt)), ('o-2', 2.5, @at2, [], NULL), ('o-1', 3.25, @at3, NULL, NULL)`,
      params: {
        id1: 'o-1',
        amount: 1.25,
        at1: bigquery.timestamp('2024-05-01T10:00:00Z'),
        at2: bigquery.timestamp('2024-05-01T11:00:00Z'),
        at3: bigquery.timestamp('2024-05-02T09:00:00Z'),
      },
    });
    const [metadata] = await job.getMetadata();
    expect(metadata.status.state).toBe('DONE');
    expect(metadata.statistics.query.statementType).toBe('INSERT');
    expect(metadata.statistics.query.numDmlAffectedRows).toBe('3');
  });

  it('upserts with MERGE (INTO optional) and reports affected rows', async () => {
    await local.seed('CREATE TABLE exports.history (run_id STRING, state STRING, updated_at TIMESTAMP)');
    const merge = `MERGE \`${PROJECT}.exports.history\` T
      USING (SELECT @run AS run_id, @state AS state, @at AS updated_at) S ON T.run_id = S.run_id
      WHEN MATCHED THEN UPDATE SET state = S.state, updated_at = S.updated_at
      WHEN NOT MATCHED THEN INSERT (run_id, state, updated_at) VALUES (S.run_id, S.state, S.updated_at)`;
    const at = bigquery.timestamp('2024-05-03T00:00:00Z');
    await bigquery.query({ query: merge, params: { run: 'r1', state: 'STARTED', at } });
    const [job] = await bigquery.createQueryJob({
      query: merge,
      params: { run: 'r1', state: 'DELIVERED', at },
    });
    const [metadata] = await job.getMetadata();
    expect(metadata.statistics.query.statementType).toBe('MERGE');
    expect(metadata.statistics.query.numDmlAffectedRows).toBe('1');
    const [rows] = await bigquery.query('SELECT run_id, state, DATE(updated_at) AS day FROM exports.history');
    expect(rows).toEqual([{ run_id: 'r1', state: 'DELIVERED', day: bigquery.date('2024-05-03') }]);
  });

  it('runs the window query the extractor emits: range on a timestamp, ORDER BY, COUNT and MAX', async () => {
    const [rows] = await bigquery.query({
      query: `SELECT order_id, amount, updated_at FROM \`${PROJECT}.exports.orders\`
              WHERE updated_at >= @low AND updated_at < @high ORDER BY updated_at`,
      params: {
        low: bigquery.timestamp('2024-05-01T00:00:00Z'),
        high: bigquery.timestamp('2024-05-02T00:00:00Z'),
      },
    });
    expect((rows as { order_id: string }[]).map((row) => row.order_id)).toEqual(['o-1', 'o-2']);
    expect(rows.map((row) => (row.amount as { toFixed(): string }).toFixed())).toEqual(['1.25', '2.5']);
    const [stats] = await bigquery.query(
      `SELECT COUNT(*) AS n, MAX(updated_at) AS latest FROM \`${PROJECT}\`.exports.orders`,
    );
    expect(stats[0].n).toBe(3);
    const [anonymous] = await bigquery.query('SELECT COUNT(*), MAX(order_id) FROM exports.orders');
    expect(anonymous).toEqual([{ f0_: 3, f1_: 'o-2' }]);
    expect(new Date((stats[0] as { latest: { value: string } }).latest.value).toISOString()).toBe(
      '2024-05-02T09:00:00.000Z',
    );
  });

  it('reads REPEATED and RECORD columns back', async () => {
    const [rows] = await bigquery.query(
      `SELECT tags, detail FROM exports.orders WHERE order_id = 'o-1' AND detail IS NOT NULL`,
    );
    expect(rows).toEqual([{ tags: ['a'], detail: { source: 'web', attempt: 1 } }]);
  });

  it('creates a view with QUALIFY ROW_NUMBER() and reads the latest row per key', async () => {
    await bigquery.query(`
      CREATE OR REPLACE VIEW \`${PROJECT}.exports.orders_latest\` AS
      SELECT * FROM \`${PROJECT}.exports.orders\`
      WHERE TRUE
      QUALIFY ROW_NUMBER() OVER (PARTITION BY order_id ORDER BY updated_at DESC) = 1`);
    const [rows] = await bigquery.query(
      `SELECT order_id, amount FROM \`${PROJECT}.exports.orders_latest\` ORDER BY order_id`,
    );
    expect(rows.map((row) => `${row.order_id}:${(row.amount as { toFixed(): string }).toFixed()}`)).toEqual([
      'o-1:3.25',
      'o-2:2.5',
    ]);
    const [metadata] = await bigquery.dataset('exports').table('orders_latest').getMetadata();
    expect(metadata.type).toBe('VIEW');
  });

  it('pages a result over more than three pages with createQueryStream', async () => {
    const query = 'SELECT n FROM UNNEST(GENERATE_ARRAY(1, 350)) AS n ORDER BY n';
    // The server pages by 100 rows here; maxResults would cap the stream's total instead.
    const [job] = await bigquery.createQueryJob({ query });
    const [firstPage, nextQuery] = await job.getQueryResults({ autoPaginate: false });
    expect(firstPage).toHaveLength(100);
    expect(nextQuery).toMatchObject({ pageToken: expect.any(String) });
    const rows: number[] = [];
    await new Promise<void>((resolve, reject) => {
      bigquery
        .createQueryStream({ query })
        .on('data', (row: { n: number }) => rows.push(row.n))
        .on('error', reject)
        .on('end', () => resolve());
    });
    expect(rows).toEqual(Array.from({ length: 350 }, (_, i) => i + 1));
  });

  it('pages getQueryResults with maxResults, pageToken and startIndex', async () => {
    const [job] = await bigquery.createQueryJob({
      query: 'SELECT n FROM UNNEST(GENERATE_ARRAY(1, 25)) AS n ORDER BY n',
    });
    const [first, next, response] = await job.getQueryResults({ maxResults: 10, autoPaginate: false });
    expect((first as { n: number }[]).map((row) => row.n)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(response?.totalRows).toBe('25');
    const [second] = await job.getQueryResults({ ...(next as object), autoPaginate: false });
    expect((second as { n: number }[]).map((row) => row.n)).toEqual([11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
    const [tail] = await job.getQueryResults({ startIndex: '22', maxResults: 10, autoPaginate: false });
    expect((tail as { n: number }[]).map((row) => row.n)).toEqual([23, 24, 25]);
  });

  it('answers a dry run with a bytes estimate and runs nothing', async () => {
    const [job] = await bigquery.createQueryJob({
      query: `INSERT INTO exports.orders (order_id) VALUES ('dry')`,
      dryRun: true,
    });
    expect(job.metadata.statistics.totalBytesProcessed).toBe('0');
    const [selectJob] = await bigquery.createQueryJob({
      query: 'SELECT order_id, amount FROM exports.orders',
      dryRun: true,
    });
    expect(Number(selectJob.metadata.statistics.totalBytesProcessed)).toBeGreaterThan(0);
    expect(selectJob.metadata.configuration.dryRun).toBe(true);
    const dryFields = selectJob.metadata.statistics.query.schema.fields as { name: string; type: string }[];
    expect(dryFields.map((f) => `${f.name}:${f.type}`)).toEqual(['order_id:STRING', 'amount:NUMERIC']);
    const [count] = await bigquery.query(`SELECT COUNT(*) AS n FROM exports.orders WHERE order_id = 'dry'`);
    expect(count[0].n).toBe(0);
    await expect(
      bigquery.createQueryJob({ query: 'SELECT nope FROM exports.orders', dryRun: true }),
    ).rejects.toMatchObject({ code: 400 });
  });

  it('fails unsupported SQL with invalidQuery and a clear message, not a wrong answer', async () => {
    const expectInvalid = async (query: string, message: RegExp): Promise<void> => {
      const error = await bigquery.query(query).catch((caught: unknown) => caught);
      expect(error).toMatchObject({
        code: 400,
        errors: [expect.objectContaining({ reason: 'invalidQuery' })],
      });
      expect((error as Error).message).toMatch(message);
    };
    await expectInvalid('SELECT 1; SELECT 2', /multi-statement/);
    await expectInvalid('DECLARE x INT64', /Unsupported by the local BigQuery emulator/);
    await expectInvalid('SELECT @@project_id', /system variables/);
    await expectInvalid('SELECT 1::INT64', /CAST/);
    await expectInvalid('SELECT nonexistent_function(1)', /nonexistent_function/);
  });

  it('answers 404 notFound for a table or dataset that does not exist', async () => {
    await expect(bigquery.query(`SELECT * FROM \`${PROJECT}.exports.missing\``)).rejects.toMatchObject({
      code: 404,
      errors: [expect.objectContaining({ reason: 'notFound' })],
      message: `Not found: Table ${PROJECT}:exports.missing was not found in location US`,
    });
    await expect(bigquery.query('SELECT * FROM nodataset.t')).rejects.toMatchObject({ code: 404 });
  });

  it('honours FOR SYSTEM_TIME AS OF a time after the last change and refuses one before it with no copy', async () => {
    const before = new Date(Date.now() - 60_000);
    const [rows] = await bigquery.query({
      query: `SELECT COUNT(*) AS n FROM \`${PROJECT}.exports.orders\` FOR SYSTEM_TIME AS OF @snapshot`,
      params: { snapshot: bigquery.timestamp(new Date(Date.now() + 1000)) },
    });
    expect(rows[0].n).toBe(3);
    await expect(
      bigquery.query({
        query: `SELECT COUNT(*) AS n FROM \`${PROJECT}.exports.orders\` FOR SYSTEM_TIME AS OF @snapshot`,
        params: { snapshot: bigquery.timestamp(before) },
      }),
    ).rejects.toMatchObject({ code: 400, message: expect.stringMatching(/kept no copy/) });
  });

  it('answers FOR SYSTEM_TIME AS OF an earlier state read AS OF a time before, after later changes', async () => {
    await local.seed('CREATE TABLE exports.travel (id INT64, ts TIMESTAMP)');
    await bigquery.query(
      "INSERT INTO exports.travel (id, ts) VALUES (1, TIMESTAMP '2024-01-01 00:00:00+00')",
    );
    await pause(5);
    const first = new Date();
    const count = async (at: Date): Promise<number> => {
      const [rows] = await bigquery.query({
        query: 'SELECT COUNT(*) AS n FROM exports.travel FOR SYSTEM_TIME AS OF @at WHERE id > 0',
        params: { at: bigquery.timestamp(at) },
      });
      return rows[0].n as number;
    };
    expect(await count(first)).toBe(1);
    await pause(5);
    await bigquery
      .dataset('exports')
      .table('travel')
      .insert([{ id: 2, ts: '2024-01-02T00:00:00Z' }]);
    await pause(5);
    const between = new Date();
    await pause(5);
    await bigquery.query('DELETE FROM exports.travel WHERE id = 1');
    await pause(5);
    const second = new Date();
    expect(await count(second)).toBe(1);
    // The state read at `first` was kept: both times answer with their own rows, in one query too.
    expect(await count(first)).toBe(1);
    const [both] = await bigquery.query({
      query: `SELECT
        (SELECT COUNT(*) FROM exports.travel FOR SYSTEM_TIME AS OF @first WHERE id = 1) AS then_one,
        (SELECT COUNT(*) FROM exports.travel FOR SYSTEM_TIME AS OF @second WHERE id = 1) AS now_one`,
      params: { first: bigquery.timestamp(first), second: bigquery.timestamp(second) },
    });
    expect(both[0]).toEqual({ then_one: 1, now_one: 0 });
    // A time in the state between the insert and the delete was never read: no copy of it.
    await expect(count(between)).rejects.toMatchObject({
      code: 400,
      message: expect.stringMatching(/kept no copy/),
    });
    const eightDaysAgo = new Date(Date.now() - 8 * 24 * 3600 * 1000);
    await expect(count(eightDaysAgo)).rejects.toMatchObject({
      code: 400,
      message: expect.stringMatching(/Invalid snapshot time .* Cannot read before/),
    });
  });

  it('recreates a table that was read AS OF a time while it was dropped (nothing to keep of that state)', async () => {
    await local.seed('CREATE TABLE exports.dropped (id INT64)');
    await local.seed('CREATE TABLE exports.dropped_backup AS SELECT * FROM exports.dropped');
    await local.seed('DROP TABLE exports.dropped');
    await pause(5);
    await expect(
      bigquery.query({
        query: 'SELECT COUNT(*) AS n FROM exports.dropped FOR SYSTEM_TIME AS OF @at',
        params: { at: bigquery.timestamp(new Date()) },
      }),
    ).rejects.toMatchObject({ code: 404 });
    await local.seed('CREATE TABLE exports.dropped AS SELECT * FROM exports.dropped_backup');
    const [rows] = await bigquery.query('SELECT COUNT(*) AS n FROM exports.dropped');
    expect(rows[0].n).toBe(0);
  });

  it('serves jobs.get for a finished query job', async () => {
    const [job] = await bigquery.createQueryJob({ query: 'SELECT 1 AS one' });
    const [metadata] = await bigquery.job(job.id!).getMetadata();
    expect(metadata.status).toEqual({ state: 'DONE' });
    expect(metadata.jobReference.jobId).toBe(job.id);
    await expect(bigquery.job('no-such-job').getMetadata()).rejects.toMatchObject({ code: 404 });
  });
});
