import type { BigQuery } from '@google-cloud/bigquery';
import { describe, expect, it } from '@jest/globals';
import type { ExportQuery } from '@bq-sftp-export/export-domain';

import { BigQueryRowSource, DEFAULT_PAGE_ROWS } from './bigquery-row-source.adapter.js';

type Query = Record<string, unknown>;

/** A query job over `total` rows `{ n }`, paged by `maxResults`; `failAt` makes that page's call fail. */
function fakeBigQuery(total: number, failAt?: number) {
  const calls: Query[] = [];
  const job = {
    getQueryResults(query: Query): Promise<unknown[]> {
      calls.push(query);
      if (query['maxResults'] === 0)
        return Promise.resolve([
          [],
          null,
          { jobComplete: true, schema: { fields: [{ name: 'n', type: 'INTEGER' }] } },
        ]);
      const start = Number(query['pageToken'] ?? 0);
      if (start === failAt) return Promise.reject(Object.assign(new Error('backend error'), { code: 500 }));
      const size = Number(query['maxResults']);
      const rows = Array.from({ length: Math.min(size, total - start) }, (_, i) => ({
        f: [{ v: String(start + i) }],
      }));
      const next = start + size < total ? { ...query, pageToken: String(start + size) } : null;
      return Promise.resolve([rows, next, {}]);
    },
  };
  const bigquery = { createQueryJob: () => Promise.resolve([job]) } as unknown as BigQuery;
  return { bigquery, calls };
}

const query = { sql: 'SELECT n FROM t', params: {}, types: {} } as unknown as ExportQuery;

async function collect(rows: AsyncIterable<unknown>, onRow?: (index: number) => void): Promise<unknown[]> {
  const all: unknown[] = [];
  for await (const row of rows) {
    onRow?.(all.length);
    all.push(row);
  }
  return all;
}

describe('BigQueryRowSource', () => {
  it('reads every row in order, pageRows at a time, fetching the next page before the current one is consumed', async () => {
    const { bigquery, calls } = fakeBigQuery(7);
    const source = new BigQueryRowSource(bigquery, { pageRows: 3 });
    const { columns, rows } = await source.openRows(query);
    expect(columns.map((column) => column.name)).toEqual(['n']);
    const pageCallsAtRow: number[] = [];
    const all = await collect(rows, () => pageCallsAtRow.push(calls.length - 1));
    expect(all).toEqual(Array.from({ length: 7 }, (_, n) => ({ n: BigInt(n) })));
    const pages = calls.slice(1);
    expect(pages.map((call) => [call['maxResults'], call['pageToken']])).toEqual([
      [3, undefined],
      [3, '3'],
      [3, '6'],
    ]);
    // While the first row of page 1 is consumed, page 2 has already been asked for.
    expect(pageCallsAtRow[0]).toBe(2);
    expect(pages.every((call) => call['autoPaginate'] === false && call['skipParsing'] === true)).toBe(true);
  });

  it('pages by 2000 rows unless told otherwise', async () => {
    const { bigquery, calls } = fakeBigQuery(DEFAULT_PAGE_ROWS + 1);
    const { rows } = await new BigQueryRowSource(bigquery).openRows(query);
    expect(await collect(rows)).toHaveLength(DEFAULT_PAGE_ROWS + 1);
    expect(calls.slice(1).map((call) => call['maxResults'])).toEqual([DEFAULT_PAGE_ROWS, DEFAULT_PAGE_ROWS]);
  });

  it('reports a page that fails while the one before is consumed as a retryable BigQuery error', async () => {
    const { bigquery } = fakeBigQuery(9, 3);
    const { rows } = await new BigQueryRowSource(bigquery, { pageRows: 3 }).openRows(query);
    const seen: unknown[] = [];
    await expect(collect(rows, (index) => seen.push(index))).rejects.toMatchObject({ retryable: true });
    expect(seen).toEqual([0, 1, 2]);
  });
});
