import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { BigQuery } from '@google-cloud/bigquery';
import type { Table } from '@google-cloud/bigquery';
import { clientOptions } from '../client-options.js';
import { startLocalBigQuery } from '../local-bigquery.js';
import type { LocalBigQuery } from '../local-bigquery.js';

describe('tabledata.insertAll and tabledata.list through @google-cloud/bigquery', () => {
  let local: LocalBigQuery;
  let bigquery: BigQuery;
  let table: Table;

  beforeAll(async () => {
    local = await startLocalBigQuery({ projectId: 'stream-project' });
    bigquery = new BigQuery(clientOptions(local.endpoint, local.projectId));
    const [dataset] = await bigquery.createDataset('stream');
    [table] = await dataset.createTable('events', {
      schema: {
        fields: [
          { name: 'id', type: 'INTEGER', mode: 'REQUIRED' },
          { name: 'name', type: 'STRING' },
          { name: 'at', type: 'TIMESTAMP' },
          { name: 'payload', type: 'BYTES' },
          { name: 'tags', type: 'STRING', mode: 'REPEATED' },
          {
            name: 'meta',
            type: 'RECORD',
            fields: [
              { name: 'source', type: 'STRING' },
              { name: 'weight', type: 'FLOAT' },
            ],
          },
          { name: 'doc', type: 'JSON' },
        ],
      },
    });
  });
  afterAll(async () => {
    await local.stop();
  });

  it('inserts rows and reads them back with getRows, types converted by the client', async () => {
    await table.insert([
      {
        id: 1,
        name: "O'Brien",
        at: bigquery.timestamp('2024-03-01T10:00:00.123456Z'),
        payload: Buffer.from([0, 255, 10]),
        tags: ['a', 'b'],
        meta: { source: 'x', weight: 0.5 },
        doc: '{"k":[1,2]}',
      },
      { id: 2, name: null, tags: [] },
    ]);
    const [rows] = await table.getRows();
    expect(rows).toHaveLength(2);
    const first = rows.find((row) => row.id === 1)!;
    expect(first.name).toBe("O'Brien");
    // The client renders TIMESTAMPs with nanosecond digits, as it does against Google.
    expect(first.at.value).toBe('2024-03-01T10:00:00.123456000Z');
    expect(Buffer.compare(first.payload as Buffer, Buffer.from([0, 255, 10]))).toBe(0);
    expect(first.tags).toEqual(['a', 'b']);
    expect(first.meta).toEqual({ source: 'x', weight: 0.5 });
    expect(JSON.parse(first.doc as string)).toEqual({ k: [1, 2] });
    const second = rows.find((row) => row.id === 2)!;
    expect(second.name).toBeNull();
    expect(second.tags).toEqual([]);
    expect(second.meta).toBeNull();
  });

  it('drops a row whose insertId was seen within the window', async () => {
    const [dataset] = await bigquery.createDataset('dedupe');
    const [target] = await dataset.createTable('t', { schema: 'id:INTEGER,v:STRING' });
    await target.insert([{ insertId: 'row-1', json: { id: 1, v: 'first' } }], { raw: true });
    await target.insert(
      [
        { insertId: 'row-1', json: { id: 1, v: 'retry' } },
        { insertId: 'row-2', json: { id: 2, v: 'new' } },
        { insertId: 'row-2', json: { id: 2, v: 'same request' } },
      ],
      { raw: true },
    );
    const [rows] = await target.getRows();
    expect(rows.map((row) => `${row.id}:${row.v}`).sort()).toEqual(['1:first', '2:new']);
    const inspected = await local.duckdb('SELECT count(*) AS n FROM dedupe.t');
    expect(Number(inspected[0]!['n'])).toBe(2);
  });

  it('reports invalid rows as a PartialFailureError and inserts nothing without skipInvalidRows', async () => {
    const [dataset] = await bigquery.createDataset('invalid');
    const [target] = await dataset.createTable('t', {
      schema: {
        fields: [
          { name: 'id', type: 'INTEGER', mode: 'REQUIRED' },
          { name: 'd', type: 'DATE' },
        ],
      },
    });
    const failure = await target
      .insert([{ id: 1 }, { id: 'not a number' }, { d: '2024-01-01' }, { id: 4, unknown: 1 }])
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({ name: 'PartialFailureError' });
    const errors = (failure as { errors: { row: unknown; errors: { reason: string }[] }[] }).errors;
    expect(errors.map((e) => e.errors[0]!.reason)).toEqual(['stopped', 'invalid', 'invalid', 'invalid']);
    const [rows] = await target.getRows();
    expect(rows).toHaveLength(0);
    await target
      .insert(
        [
          { id: 5, d: 'not a date' },
          { id: 6, d: '2024-02-29' },
        ],
        { skipInvalidRows: true },
      )
      .catch(() => undefined);
    const [after] = await target.getRows();
    expect((after as { id: number }[]).map((row) => row.id)).toEqual([6]);
    expect(after[0]!.d.value).toBe('2024-02-29');
  });

  it('pages tabledata.list with maxResults', async () => {
    const [dataset] = await bigquery.createDataset('listing');
    const [target] = await dataset.createTable('t', { schema: 'n:INTEGER' });
    await target.insert(Array.from({ length: 25 }, (_, n) => ({ n })));
    const [page, next] = await target.getRows({ maxResults: 10, autoPaginate: false });
    expect(page).toHaveLength(10);
    expect(next).toMatchObject({ pageToken: expect.any(String) });
    const seen: number[] = [];
    let query: Record<string, unknown> | null = { maxResults: 10, autoPaginate: false };
    let pages = 0;
    while (query !== null) {
      const [rows, nextQuery] = (await target.getRows(query)) as unknown as [
        { n: number }[],
        Record<string, unknown> | null,
      ];
      seen.push(...rows.map((row) => row.n));
      query = nextQuery;
      pages++;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(Array.from({ length: 25 }, (_, n) => n));
  });

  it('answers 404 for rows inserted into a table that does not exist', async () => {
    await expect(
      bigquery
        .dataset('stream')
        .table('nope')
        .insert([{ id: 1 }]),
    ).rejects.toMatchObject({ code: 404 });
  });
});
