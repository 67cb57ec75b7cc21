import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { pipeline } from 'node:stream/promises';

import { describe, expect, it } from '@jest/globals';

import type { ColumnSchema } from '../domain/encoding/column-schema.js';
import type { CsvDialect } from '../domain/encoding/csv-dialect.js';
import { allTypeColumns, allTypeRawRows } from '../testing/all-types.js';
import { encodeWithCsvStringify } from '../testing/csv-stringify-reference.js';
import { customerColumns, customerRows } from '../testing/customer-rows.js';
import { seededRandom } from '../testing/random.js';
import { sdkRows } from '../testing/sdk-rows.js';
import { CsvEncodeTransform } from './csv-encode.transform.js';

async function encode(
  columns: readonly ColumnSchema[],
  rows: unknown[],
  dialect: Partial<CsvDialect> = {},
  chunkSize?: number,
) {
  const transform = new CsvEncodeTransform(columns, dialect, chunkSize === undefined ? {} : { chunkSize });
  const [bytes] = await Promise.all([buffer(transform), pipeline(Readable.from(rows), transform)]);
  return { bytes, rows: transform.rowCount };
}

describe('CsvEncodeTransform', () => {
  it('renders every BigQuery type from the real SDK shapes as BigQuery CSV export does', async () => {
    const { bytes, rows } = await encode(allTypeColumns, sdkRows(allTypeColumns, allTypeRawRows));
    expect(rows).toBe(5);
    expect(bytes.toString('utf8').split('\n')).toEqual([
      's,b,i,f,n,bn,ok,d,dt,t,ts,j',
      '"Zoë, ""東京""',
      'line 2",AP8BAg==,9223372036854775807,nan,99999999999999999999999999999.999999999,' +
        '578960446186580977117854925043439539266.34992332820282019728792003956564819967,true,0001-01-01,' +
        '9999-12-31T23:59:59.999999,23:59:59.999999,2024-01-02 03:04:05.123456 UTC,"{""a"":[1,2.5,""x""],""b"":null}"',
      '"","",-9223372036854775808,inf,-0.000000001,-1.5,false,2024-02-29,2024-02-29T00:00:00,00:00:00,0001-01-01 00:00:00 UTC,"""text"""',
      '=cmd,AA==,9007199254740993,-inf,0,0,true,1970-01-01,1970-01-01T00:00:00.5,12:00:00.5,1970-01-01 00:00:00 UTC,[]',
      'plain,AQ==,1,-2.5e-8,0.000000001,100000000000000000000000000000000000000,false,2026-11-26,2026-11-26T08:00:00,08:00:00,9999-12-31 23:59:59.999999 UTC,{}',
      ',,,,,,,,,,,',
      '',
    ]);
  });

  it('takes pages (arrays of rows) as well as single rows, with the same bytes', async () => {
    const rows = customerRows(300);
    const pages = [rows.slice(0, 100), rows[100], rows.slice(101, 101), rows.slice(101)];
    const single = await encode(customerColumns, rows);
    const paged = await encode(customerColumns, pages);
    expect(paged.rows).toBe(300);
    expect(paged.bytes.equals(single.bytes)).toBe(true);
  });

  it('writes the preamble for an empty input and pushes text in bounded chunks', async () => {
    expect((await encode(allTypeColumns, [], { bom: true })).bytes.toString('utf8')).toBe(
      '\uFEFFs,b,i,f,n,bn,ok,d,dt,t,ts,j\n',
    );
    const transform = new CsvEncodeTransform(customerColumns, {}, { chunkSize: 4096 });
    const chunks: Buffer[] = [];
    transform.on('data', (chunk: Buffer) => chunks.push(chunk));
    await pipeline(Readable.from(customerRows(500)), transform);
    expect(chunks.length).toBeGreaterThan(10);
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThanOrEqual(4096);
  });

  it('fails the stream, without the value, when quote policy none meets a delimiter', async () => {
    const columns: ColumnSchema[] = [{ name: 'email', type: 'STRING' }];
    await expect(
      encode(columns, [{ email: 'a@x' }, { email: 'secret,value' }], { quote: 'none' }),
    ).rejects.toThrow(
      expect.objectContaining({
        code: 'CSV_VALUE_UNREPRESENTABLE',
        message: expect.not.stringContaining('secret'),
      }),
    );
  });

  it('produces exactly the bytes csv-stringify produces, for random rows and dialects', async () => {
    const random = seededRandom(20261126);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const delimiters = [',', ';', '\t', '|'];
    for (let round = 0; round < 40; round++) {
      const dialect: Partial<CsvDialect> = {
        delimiter: pick(delimiters),
        quote: pick(['minimal', 'all', 'nonnumeric'] as const),
        header: random() < 0.7,
        null_token: pick(['', 'NULL', '\\N']),
        line_terminator: pick(['\n', '\r\n'] as const),
        bom: random() < 0.3,
        timestamp_format: pick(['bigquery', 'iso8601'] as const),
        time_zone: pick(['UTC', 'America/Chicago']),
        formula_guard: random() < 0.5,
      };
      const rows = [...customerRows(60, round + 1), ...randomStringRows(random, 20)];
      const ours = (await encode(customerColumns, rows, dialect, 1 + Math.floor(random() * 3000))).bytes;
      const reference = Buffer.from(encodeWithCsvStringify(customerColumns, rows, dialect), 'utf8');
      expect({ round, dialect, text: ours.toString('utf8') }).toEqual({
        round,
        dialect,
        text: reference.toString('utf8'),
      });
      expect(ours.equals(reference)).toBe(true);
    }
  });
});

/** Rows whose strings are random mixes of the characters that matter to CSV. */
function randomStringRows(random: () => number, count: number): Record<string, unknown>[] {
  const alphabet = [
    'a',
    'Z',
    ' ',
    ',',
    ';',
    '\t',
    '|',
    '"',
    "'",
    '\n',
    '\r',
    '=',
    '+',
    '-',
    '@',
    '＝',
    'é',
    '😀',
    'N',
    'U',
    'L',
    '\\',
  ];
  return Array.from({ length: count }, () => {
    const row: Record<string, unknown> = {};
    for (const column of customerColumns) {
      if (column.type !== 'STRING') continue;
      const length = Math.floor(random() * 6);
      row[column.name] =
        random() < 0.1
          ? null
          : Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
    }
    return row;
  });
}
