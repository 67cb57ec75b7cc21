import { mkdtempSync, rmSync } from 'node:fs';
import { createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

import type { ColumnSchema } from '../domain/encoding/column-schema.js';
import { allTypeColumns, allTypeRawRows } from '../testing/all-types.js';
import { customerColumns, customerRows } from '../testing/customer-rows.js';
import { sdkRows } from '../testing/sdk-rows.js';
import { ParquetEncodeTransform, type ParquetEncodeOptions } from './parquet-encode.transform.js';

let dir: string;
let instance: DuckDBInstance;
let duck: DuckDBConnection;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'bqx-parquet-'));
  instance = await DuckDBInstance.create(':memory:');
  duck = await instance.connect();
});

afterAll(() => {
  duck.closeSync();
  instance.closeSync();
  rmSync(dir, { recursive: true, force: true });
});

async function writeParquet(
  name: string,
  columns: readonly ColumnSchema[],
  rows: unknown[],
  options?: ParquetEncodeOptions,
) {
  const file = path.join(dir, name);
  const transform = new ParquetEncodeTransform(columns, options);
  const chunks: number[] = [];
  transform.on('data', (chunk: Buffer) => chunks.push(chunk.length));
  await pipeline(Readable.from(rows), transform, createWriteStream(file));
  return { file, chunks, rows: transform.rowCount };
}

async function query(sql: string): Promise<unknown[][]> {
  return (await duck.runAndReadAll(sql)).getRows();
}

describe('ParquetEncodeTransform', () => {
  it('writes every BigQuery type, NULLs included, so DuckDB reads back the source values', async () => {
    const { file, rows } = await writeParquet(
      'all.parquet',
      allTypeColumns,
      sdkRows(allTypeColumns, allTypeRawRows),
      {
        rowGroupSize: 2,
      },
    );
    expect(rows).toBe(5);
    const values = await query(
      `SELECT s, base64(b), i::VARCHAR, f::VARCHAR, n::VARCHAR, bn, ok, d::VARCHAR, dt::VARCHAR, t::VARCHAR,
              epoch_us(ts)::VARCHAR, j
         FROM read_parquet('${file}')`,
    );
    expect(values).toEqual([
      [
        'Zoë, "東京"\nline 2',
        'AP8BAg==',
        '9223372036854775807',
        'nan',
        '99999999999999999999999999999.999999999',
        Number('578960446186580977117854925043439539266.34992332820282019728792003956564819967'), // DuckDB reads DECIMAL(76, 38) as DOUBLE
        true,
        '0001-01-01',
        '9999-12-31 23:59:59.999999',
        '23:59:59.999999',
        '1704164645123456',
        '{"a":[1,2.5,"x"],"b":null}',
      ],
      [
        '',
        '',
        '-9223372036854775808',
        'inf',
        '-0.000000001',
        -1.5,
        false,
        '2024-02-29',
        '2024-02-29 00:00:00',
        '00:00:00',
        '-62135596800000000',
        '"text"',
      ],
      [
        '=cmd',
        'AA==',
        '9007199254740993',
        '-inf',
        '0.000000000',
        0,
        true,
        '1970-01-01',
        '1970-01-01 00:00:00.5',
        '12:00:00.5',
        '0',
        '[]',
      ],
      [
        'plain',
        'AQ==',
        '1',
        '-2.5e-08',
        '0.000000001',
        1e38,
        false,
        '2026-11-26',
        '2026-11-26 08:00:00',
        '08:00:00',
        '253402300799999999',
        '{}',
      ],
      [null, null, null, null, null, null, null, null, null, null, null, null],
    ]);
  });

  it('declares the logical types BigQuery uses', async () => {
    const { file } = await writeParquet(
      'schema.parquet',
      allTypeColumns,
      sdkRows(allTypeColumns, allTypeRawRows),
    );
    const schema = await query(
      `SELECT name, type, type_length, converted_type, logical_type, repetition_type FROM parquet_schema('${file}') WHERE name <> 'root'`,
    );
    const byName = Object.fromEntries(schema.map(([name, ...rest]) => [name as string, rest]));
    expect(byName['s']).toEqual(['BYTE_ARRAY', null, 'UTF8', 'StringType()', 'OPTIONAL']);
    expect(byName['n']).toEqual([
      'FIXED_LEN_BYTE_ARRAY',
      '16',
      'DECIMAL',
      'DecimalType(scale=9, precision=38)',
      'OPTIONAL',
    ]);
    expect(byName['bn']?.slice(0, 4)).toEqual([
      'FIXED_LEN_BYTE_ARRAY',
      '32',
      'DECIMAL',
      'DecimalType(scale=38, precision=76)',
    ]);
    expect(byName['ts']?.[3]).toMatch(/^TimestampType\(isAdjustedToUTC=1, .*MICROS=MicroSeconds\(\)/);
    expect(byName['dt']?.[3]).toMatch(/^TimestampType\(isAdjustedToUTC=0, .*MICROS=MicroSeconds\(\)/);
    expect(byName['t']?.[3]).toMatch(/^TimeType\(isAdjustedToUTC=0, .*MICROS=MicroSeconds\(\)/);
    expect(byName['d']).toEqual(['INT32', null, 'DATE', 'DateType()', 'OPTIONAL']);
    expect(byName['i']?.[0]).toBe('INT64');
    expect(byName['f']?.[0]).toBe('DOUBLE');
    expect(byName['ok']?.[0]).toBe('BOOLEAN');
    expect(byName['b']?.slice(0, 3)).toEqual(['BYTE_ARRAY', null, null]);
  });

  it('streams one row group at a time and keeps every row across groups', async () => {
    const source = customerRows(2_500);
    const pages = [source.slice(0, 700), ...source.slice(700, 710), source.slice(710)];
    const { file, chunks, rows } = await writeParquet('customers.parquet', customerColumns, pages, {
      rowGroupSize: 1_000,
    });
    expect(rows).toBe(2_500);
    expect(chunks.length).toBeGreaterThanOrEqual(4); // three row groups, then the footer
    const groups = await query(`SELECT count(DISTINCT row_group_id) FROM parquet_metadata('${file}')`);
    expect(groups).toEqual([[3n]]);
    const [[count, ids, emails]] = (await query(
      `SELECT count(*), sum(id)::VARCHAR, count(email) FROM read_parquet('${file}')`,
    )) as [[bigint, string, bigint]];
    expect(count).toBe(2_500n);
    expect(ids).toBe(source.reduce((sum, row) => sum + (row['id'] as bigint), 0n).toString());
    expect(emails).toBe(BigInt(source.filter((row) => row['email'] != null).length));
  });

  it('writes a valid empty file when no row arrives', async () => {
    const { file, rows } = await writeParquet('empty.parquet', customerColumns, []);
    expect(rows).toBe(0);
    expect(await query(`SELECT count(*) FROM read_parquet('${file}')`)).toEqual([[0n]]);
  });

  it('fails the stream on a NUMERIC value with more than nine decimals', async () => {
    const columns: ColumnSchema[] = [{ name: 'n', type: 'NUMERIC' }];
    await expect(writeParquet('bad.parquet', columns, [{ n: '1.0000000001' }])).rejects.toThrow(/scale 9/);
  });
});
