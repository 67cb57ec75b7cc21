/* eslint-disable no-console -- a benchmark prints its figures */
/**
 * CSV encoding throughput on customer-like rows (22 columns: quotes, commas, newlines, NULLs,
 * unicode), one core: the extractor's encoder against csv-stringify and DuckDB's COPY.
 * `pnpm --filter @bq-sftp-export/extractor exec node --import tsx bench/csv-encode.bench.ts [--rows=200000] [--runs=5]`
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { DuckDBInstance } from '@duckdb/node-api';
import { stringify } from 'csv-stringify';
import { stringify as stringifySync } from 'csv-stringify/sync';

import { CsvRowEncoder } from '../src/domain/encoding/csv-row-encoder.js';
import { createValueRenderer } from '../src/domain/encoding/value-text.js';
import { CsvEncodeTransform } from '../src/streams/csv-encode.transform.js';
import { encodeWithCsvStringify } from '../src/testing/csv-stringify-reference.js';
import { customerColumns, customerRows } from '../src/testing/customer-rows.js';
import { argNumber, cycle, formatRate, measureMedian, nullSink } from './bench-tools.js';

const rows = argNumber('rows', 200_000);
const runs = argNumber('runs', 5);
const distinct = customerRows(10_000);
const renderers = customerColumns.map((c) => createValueRenderer(c.type));
const render = (row: Record<string, unknown>) => customerColumns.map((c, i) => renderers[i]!(row[c.name]));
const results: Record<string, { wall: number; cpu: number }> = {};

async function measure(name: string, task: () => Promise<void> | void, count = rows): Promise<void> {
  const timing = await measureMedian(runs, task);
  results[name] = { wall: Math.round(count / timing.wall), cpu: Math.round(count / timing.cpu) };
  console.log(
    `${name.padEnd(46)} wall ${formatRate(count, timing.wall)}   cpu ${formatRate(count, timing.cpu)}`,
  );
}

await measure('extractor CsvEncodeTransform (stream, 64 KiB)', async () => {
  await pipeline(Readable.from(cycle(distinct, rows)), new CsvEncodeTransform(customerColumns), nullSink());
});

await measure('extractor CsvEncodeTransform, 1000-row pages', async () => {
  const pages = function* () {
    for (let i = 0; i < rows; i += 1000)
      yield [...cycle(distinct.slice(i % 10_000, (i % 10_000) + 1000), Math.min(1000, rows - i))];
  };
  await pipeline(Readable.from(pages()), new CsvEncodeTransform(customerColumns), nullSink());
});

await measure('extractor CsvRowEncoder text only (no bytes)', () => {
  const encoder = new CsvRowEncoder(customerColumns);
  let length = 0;
  for (const row of cycle(distinct, rows)) length += encoder.encodeRow(row).length;
  if (length === 0) throw new Error('no output');
});

await measure('csv-stringify stream, rendered rows', async () => {
  const renderRows = function* () {
    for (const row of cycle(distinct, rows)) yield render(row);
  };
  await pipeline(Readable.from(renderRows()), stringify({ header: false }), nullSink());
});

await measure('csv-stringify sync, 1000-row batches', () => {
  let batch: (string | null)[][] = [];
  for (const row of cycle(distinct, rows)) {
    batch.push(render(row));
    if (batch.length === 1000) {
      Buffer.from(stringifySync(batch));
      batch = [];
    }
  }
  Buffer.from(stringifySync(batch));
});

const referenceRows = Math.min(rows, 20_000);
await measure(
  'csv-stringify with per-field options (tests)',
  () => {
    for (let i = 0; i < referenceRows; i += 1000)
      encodeWithCsvStringify(customerColumns, distinct.slice(i % 10_000, (i % 10_000) + 1000));
  },
  referenceRows,
);

// DuckDB baseline: the same rows as a DuckDB table, COPY … TO csv on one thread.
const dir = mkdtempSync(path.join(tmpdir(), 'bqx-bench-'));
try {
  const source = path.join(dir, 'source.csv');
  writeFileSync(source, encodeWithCsvStringify(customerColumns, [...cycle(distinct, rows)]));
  const connection = await (await DuckDBInstance.create(':memory:')).connect();
  await connection.run(`SET threads = 1`);
  await connection.run(`CREATE TABLE t AS SELECT * FROM read_csv('${source}', header = true)`);
  await measure('DuckDB COPY TO csv, 1 thread', async () => {
    await connection.run(`COPY t TO '${path.join(dir, 'out.csv')}' (HEADER)`);
  });
  connection.closeSync();
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const ours = results['extractor CsvEncodeTransform (stream, 64 KiB)']!;
const duck = results['DuckDB COPY TO csv, 1 thread']!;
const stringifyStream = results['csv-stringify stream, rendered rows']!;
console.log(
  JSON.stringify({
    rows,
    runs,
    cpuRatioToDuckDB: +(ours.cpu / duck.cpu).toFixed(2),
    wallRatioToDuckDB: +(ours.wall / duck.wall).toFixed(2),
    cpuRatioToCsvStringifyStream: +(ours.cpu / stringifyStream.cpu).toFixed(2),
    rowsPerSecond: results,
  }),
);
