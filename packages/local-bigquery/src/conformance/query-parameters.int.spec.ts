import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { BigQuery } from '@google-cloud/bigquery';
import { clientOptions } from '../client-options.js';
import { startLocalBigQuery } from '../local-bigquery.js';
import type { LocalBigQuery } from '../local-bigquery.js';

/** The client returns NUMERIC and BIGNUMERIC as big.js values. */
interface Big {
  toFixed(): string;
}

describe('query parameters and result types through @google-cloud/bigquery', () => {
  let local: LocalBigQuery;
  let bigquery: BigQuery;

  beforeAll(async () => {
    local = await startLocalBigQuery({ projectId: 'param-project' });
    bigquery = new BigQuery(clientOptions(local.endpoint, local.projectId));
  });
  afterAll(async () => {
    await local.stop();
  });

  async function echo(value: unknown, type?: string | string[]): Promise<unknown> {
    const [rows] = await bigquery.query({
      query: 'SELECT @v AS v',
      params: { v: value },
      ...(type !== undefined ? { types: { v: type } } : {}),
    });
    expect(rows).toHaveLength(1);
    return (rows[0] as { v: unknown }).v;
  }

  it('round-trips STRING, INT64, BOOL and BYTES', async () => {
    expect(await echo("it's \\ a 'test' ✓")).toBe("it's \\ a 'test' ✓");
    expect(await echo(9007199254740991)).toBe(9007199254740991);
    expect(await echo(-42)).toBe(-42);
    expect(await echo(true)).toBe(true);
    expect(await echo(false)).toBe(false);
    const bytes = (await echo(Buffer.from([0, 1, 254, 255]))) as Buffer;
    expect([...bytes]).toEqual([0, 1, 254, 255]);
  });

  it('round-trips INT64 beyond 2^53 exactly with wrapIntegers', async () => {
    const [rows] = await bigquery.query({
      query: 'SELECT @v AS v',
      params: { v: bigquery.int('9223372036854775807') },
      wrapIntegers: true,
    });
    expect((rows[0] as { v: { value: string } }).v.value).toBe('9223372036854775807');
  });

  it('round-trips FLOAT64 including NaN and ±Infinity', async () => {
    expect(await echo(0.1)).toBe(0.1);
    expect(await echo(-1.5e300, 'FLOAT64')).toBe(-1.5e300);
    expect(await echo(5e-324)).toBe(5e-324);
    expect(await echo('NaN', 'FLOAT64')).toBeNaN();
    expect(await echo('Infinity', 'FLOAT64')).toBe(Infinity);
    expect(await echo('-Infinity', 'FLOAT64')).toBe(-Infinity);
  });

  it('round-trips large NUMERIC and BIGNUMERIC values exactly', async () => {
    const numeric = (await echo('12345678901234567890123456789.123456789', 'NUMERIC')) as Big;
    expect(numeric.toFixed()).toBe('12345678901234567890123456789.123456789');
    const big = (await echo('12345678901234567890.123456789012345678', 'BIGNUMERIC')) as Big;
    expect(big.toFixed()).toBe('12345678901234567890.123456789012345678');
    expect(((await echo('-0.500', 'NUMERIC')) as Big).toFixed()).toBe('-0.5');
  });

  it('round-trips TIMESTAMP to the microsecond, DATE, DATETIME and TIME', async () => {
    const ts = (await echo(bigquery.timestamp('2024-02-29T23:59:59.999999Z'))) as { value: string };
    expect(ts.value).toBe('2024-02-29T23:59:59.999999000Z');
    const early = (await echo(bigquery.timestamp('1960-01-01T00:00:00Z'))) as { value: string };
    expect(new Date(early.value).toISOString()).toBe('1960-01-01T00:00:00.000Z');
    const fromDate = (await echo(new Date('2024-01-01T00:00:00.123Z'))) as { value: string };
    expect(new Date(fromDate.value).toISOString()).toBe('2024-01-01T00:00:00.123Z');
    expect(((await echo(bigquery.date('2024-02-29'))) as { value: string }).value).toBe('2024-02-29');
    expect(((await echo(bigquery.datetime('2024-02-29 12:34:56.000123'))) as { value: string }).value).toBe(
      '2024-02-29T12:34:56.000123',
    );
    expect(((await echo(bigquery.time('23:59:58.5'))) as { value: string }).value).toBe('23:59:58.500000');
  });

  it('round-trips JSON and ARRAY parameters', async () => {
    expect(JSON.parse((await echo('{"a":[1,"x"]}', 'JSON')) as string)).toEqual({ a: [1, 'x'] });
    expect(await echo(['a', "b'c"])).toEqual(['a', "b'c"]);
    expect(await echo([1, 2, 3])).toEqual([1, 2, 3]);
    expect(await echo([], ['INT64'])).toEqual([]);
  });

  it('round-trips typed NULLs of every scalar type', async () => {
    const types = [
      'STRING',
      'INT64',
      'FLOAT64',
      'NUMERIC',
      'BIGNUMERIC',
      'BOOL',
      'BYTES',
      'DATE',
      'DATETIME',
      'TIME',
      'TIMESTAMP',
      'JSON',
    ];
    for (const type of types) {
      expect(await echo(null, type)).toBeNull();
    }
  });

  it('binds positional parameters in order', async () => {
    const [rows] = await bigquery.query({ query: 'SELECT ? AS a, ? AS b, ? + 1 AS c', params: ['x', 2, 41] });
    expect(rows).toEqual([{ a: 'x', b: 2, c: 42 }]);
  });

  it('answers TIMESTAMP as float seconds when tabledata.list is asked without int64 timestamps', async () => {
    const [dataset] = await bigquery.createDataset('float_ts');
    const [table] = await dataset.createTable('t', { schema: 'ts:TIMESTAMP' });
    await table.insert([{ ts: '2024-01-01T00:00:01.5Z' }]);
    const [rows] = await table.getRows({ 'formatOptions.useInt64Timestamp': false } as Record<
      string,
      unknown
    >);
    expect((rows[0] as { ts: { value: string } }).ts.value).toBe('2024-01-01T00:00:01.500Z');
  });

  it('fails with invalidQuery for a parameter the query names but the request lacks', async () => {
    await expect(
      bigquery.query({ query: 'SELECT @missing AS v', params: { other: 1 } }),
    ).rejects.toMatchObject({
      code: 400,
      errors: [expect.objectContaining({ reason: 'invalidQuery' })],
    });
  });
});
