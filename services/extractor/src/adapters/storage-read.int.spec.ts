import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { ExportQuery } from '@bq-sftp-export/export-domain';
import { pollUntil } from '@bq-sftp-export/testing';

import type { ExportRow } from '../domain/encoding/column-schema.js';
import { createValueRenderer } from '../domain/encoding/value-text.js';
import { LocalCloud } from '../testing/local-cloud-fixture.js';
import { BigQueryRowSource } from './bigquery-row-source.adapter.js';

let cloud: LocalCloud;
const TOTAL = 40;
const BIG = 30_000;

beforeAll(async () => {
  cloud = await LocalCloud.start({ readPath: 'storage' });
  await cloud.bigQueryServer.seed([
    'CREATE SCHEMA IF NOT EXISTS s',
    `CREATE TABLE s.n AS SELECT x AS id FROM UNNEST(GENERATE_ARRAY(1, ${TOTAL})) AS x`,
    `CREATE TABLE s.big AS SELECT x AS id FROM UNNEST(GENERATE_ARRAY(1, ${BIG})) AS x`,
  ]);
});

afterAll(async () => {
  await cloud.stop();
});

beforeEach(() => cloud.bigQueryServer.storage.clear());

// No test leaves a ReadRows call open on the server.
afterEach(() =>
  pollUntil(() => (cloud.bigQueryServer.storage.stats().openReadRows === 0 ? true : undefined), {
    describe: 'every ReadRows call closed',
    timeoutMs: 5000,
    intervalMs: 20,
  }),
);

/** Every await here is bounded: a hung stream fails the test instead of hanging it. */
function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    work,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`not done within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

function source(options: { idleTimeoutMs?: number; minRows?: number } = {}): BigQueryRowSource {
  return new BigQueryRowSource(cloud.bigquery, {
    pageRows: 7,
    storage: {
      client: cloud.readClient,
      minRows: options.minRows ?? 0,
      maxStreams: 3,
      prefetchBatches: 2,
      idleTimeoutMs: options.idleTimeoutMs ?? 5000,
      attempts: 3,
    },
  });
}

const query = (sql: string, ordered = false): ExportQuery => ({ sql, params: {}, types: {}, ordered });
/** The shape of the export queries: an incremental window's ends in ORDER BY, a full one's does not. */
const ORDERED = query('SELECT id FROM s.n ORDER BY id', true);
const UNORDERED = query('SELECT id FROM s.n');

async function ids(
  rowSource: BigQueryRowSource,
  onRow?: (n: number) => void,
  exportQuery: ExportQuery = UNORDERED,
): Promise<bigint[]> {
  const { rows } = await rowSource.openRows(exportQuery, {});
  const out: bigint[] = [];
  for await (const row of rows) {
    out.push(row['id'] as bigint);
    onRow?.(out.length);
  }
  return out;
}

async function waitUntil(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
}

const expected = Array.from({ length: TOTAL }, (_, i) => BigInt(i + 1));

describe('Storage Read API path against the local server', () => {
  it('reads the streams of a session side by side, every row once, in the order REST gives (not REST)', async () => {
    const before = cloud.bigQueryServer.storage.stats();
    const rest = await within(10_000, ids(source({ minRows: TOTAL + 1 })));
    expect(await within(10_000, ids(source()))).toEqual(rest);
    expect(rest).toEqual(expected);
    const after = cloud.bigQueryServer.storage.stats();
    expect(after.sessions - before.sessions).toBe(1);
    expect(after.readRowsCalls - before.readRowsCalls).toBe(3);
    expect(after.peakOpenReadRows).toBe(3); // all three streams open at once, not one after another
  });

  it('an ORDER BY query is read in one stream (BigQuery orders rows only within a stream)', async () => {
    const before = cloud.bigQueryServer.storage.stats();
    expect(await within(10_000, ids(source(), undefined, ORDERED))).toEqual(expected);
    expect(cloud.bigQueryServer.storage.stats().readRowsCalls - before.readRowsCalls).toBe(1);
  });

  it('reads ahead a bounded number of batches: a paused consumer stops the streams (backpressure)', async () => {
    const { rows } = await within(10_000, source().openRows(query('SELECT id FROM s.big'), {}));
    const iterator = rows[Symbol.asyncIterator]();
    const before = cloud.bigQueryServer.storage.stats().rowsSent;
    expect((await within(10_000, iterator.next())).value).toEqual({ id: 1n });
    // Long enough for an unbounded reader to take all 15 000 two-row batches of the three streams.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const sent = cloud.bigQueryServer.storage.stats().rowsSent - before;
    expect(sent).toBeGreaterThan(2);
    expect(sent).toBeLessThan(BIG / 4);
    for (let i = 2; i <= 100; i++)
      expect((await within(10_000, iterator.next())).value).toEqual({ id: BigInt(i) });
    // Leaving early cancels every ReadRows call of the session.
    await iterator.return?.();
    await within(
      5000,
      waitUntil(() => cloud.bigQueryServer.storage.stats().openReadRows === 0),
    );
  }, 60_000);

  it('below the row threshold the result is read through REST pages', async () => {
    const before = cloud.bigQueryServer.storage.stats();
    expect(await within(10_000, ids(source({ minRows: TOTAL + 1 })))).toEqual(expected);
    expect(cloud.bigQueryServer.storage.stats().sessions).toBe(before.sessions);
  });

  it('a ReadRows stream failing mid-stream is resumed at its offset: no row lost or duplicated', async () => {
    cloud.bigQueryServer.storage.failReadRows({ afterRows: 5 });
    const before = cloud.bigQueryServer.storage.stats();
    expect(await within(10_000, ids(source()))).toEqual(expected);
    expect(cloud.bigQueryServer.storage.stats().readRowsCalls - before.readRowsCalls).toBe(4);
  });

  it('a stream that stalls is cancelled after the idle timeout and resumed', async () => {
    cloud.bigQueryServer.storage.stallReadRows({ afterRows: 3 });
    expect(await within(10_000, ids(source({ idleTimeoutMs: 300 })))).toEqual(expected);
  });

  it('a stream failing on every attempt fails the read with a retryable error, not a hang', async () => {
    cloud.bigQueryServer.storage.failReadRows({ afterRows: 2, times: 10 });
    await expect(within(10_000, ids(source()))).rejects.toMatchObject({
      code: 'BIGQUERY_UNAVAILABLE',
      retryable: true,
    });
  });

  it('a session that expires mid-read fails the read as retryable SESSION_LOST (the stage is discarded)', async () => {
    const read = ids(source(), (n) => {
      if (n === 2) cloud.bigQueryServer.storage.expireSessions();
    });
    await expect(within(10_000, read)).rejects.toMatchObject({
      code: 'BIGQUERY_STORAGE_SESSION_LOST',
      retryable: true,
    });
  });

  it('a refused read session (PERMISSION_DENIED) falls back to REST with the same rows', async () => {
    cloud.bigQueryServer.storage.denySessions();
    const before = cloud.bigQueryServer.storage.stats();
    expect(await within(10_000, ids(source()))).toEqual(expected);
    expect(cloud.bigQueryServer.storage.stats().readRowsCalls).toBe(before.readRowsCalls);
  });

  it('renders pre-1970 fractional TIMESTAMP, -0.0 and NULLs from Arrow as the REST path does', async () => {
    const sql = `SELECT TIMESTAMP '1969-12-31 23:59:59.999999 UTC' AS ts, CAST('-0.0' AS FLOAT64) AS f,
      CAST(NULL AS STRING) AS s, NUMERIC '-0.000000001' AS n, DATE '1969-12-31' AS d, DATETIME '1969-12-31 23:59:59.5' AS dt`;
    const { columns, rows } = await within(10_000, source().openRows(query(sql), {}));
    const all: ExportRow[] = [];
    for await (const row of rows) all.push(row);
    const texts = columns.map((column) => createValueRenderer(column.type)(all[0]![column.name]));
    expect(texts).toEqual([
      '1969-12-31 23:59:59.999999 UTC',
      '-0',
      null,
      '-0.000000001',
      '1969-12-31',
      '1969-12-31T23:59:59.500000',
    ]);
  });
});
