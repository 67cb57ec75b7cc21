/* eslint-disable no-console -- a benchmark prints its figures */
/**
 * Parquet encoding of customer-like rows (22 columns): throughput and peak RSS per writer, each
 * in its own process so peaks do not mix. Baseline: DuckDB `COPY … TO parquet`, one thread.
 * `pnpm --filter @bq-sftp-export/extractor exec node --import tsx bench/parquet-encode.bench.ts [--rows=1000000]`
 * (`--writer=hyparquet|parquetjs-lite|duckdb` runs one writer in this process).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';

import { DuckDBInstance } from '@duckdb/node-api';
import parquetjs from 'parquetjs-lite';

import { parquetColumn } from '../src/domain/encoding/parquet-columns.js';
import { ParquetEncodeTransform } from '../src/streams/parquet-encode.transform.js';
import { encodeWithCsvStringify } from '../src/testing/csv-stringify-reference.js';
import { customerColumns, customerRows } from '../src/testing/customer-rows.js';
import { argNumber, cycle, formatRate, measureMedian } from './bench-tools.js';

const rows = argNumber('rows', 1_000_000);
const writer = process.argv.find((a) => a.startsWith('--writer='))?.slice('--writer='.length);

if (writer === undefined) {
  const results: unknown[] = [];
  for (const name of ['hyparquet', 'duckdb', 'parquetjs-lite']) {
    const count = name === 'parquetjs-lite' ? Math.min(rows, 200_000) : rows;
    const child = spawnSync(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), `--writer=${name}`, `--rows=${count}`],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const line = child.stdout.trim().split('\n').at(-1) ?? '';
    console.log(line);
    results.push(JSON.parse(line || 'null'));
  }
  console.log(JSON.stringify(results));
} else {
  const dir = mkdtempSync(path.join(tmpdir(), 'bqx-parquet-bench-'));
  const file = path.join(dir, 'out.parquet');
  try {
    const distinct = customerRows(10_000);
    const rssBefore = process.memoryUsage().rss;
    const task = await prepare(writer, distinct, file, dir);
    const timing = await measureMedian(1, task);
    console.log(
      JSON.stringify({
        writer,
        rows,
        wallRowsPerSecond: Math.round(rows / timing.wall),
        cpuRowsPerSecond: Math.round(rows / timing.cpu),
        peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
        rssBeforeMB: Math.round(rssBefore / 2 ** 20),
        fileMB: +(statSync(file).size / 2 ** 20).toFixed(1),
        summary: `${writer}: ${formatRate(rows, timing.cpu)} (cpu)`,
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function prepare(
  name: string,
  distinct: Record<string, unknown>[],
  file: string,
  dir: string,
): Promise<() => Promise<void>> {
  if (name === 'hyparquet') {
    const options = {
      rowGroupSize: argNumber('group', 20_000),
      codec: process.argv.includes('--uncompressed') ? ('UNCOMPRESSED' as const) : ('SNAPPY' as const),
      statistics: !process.argv.includes('--no-stats'),
    };
    return () =>
      pipeline(
        Readable.from(cycle(distinct, rows)),
        new ParquetEncodeTransform(customerColumns, options),
        createWriteStream(file),
      );
  }
  if (name === 'parquetjs-lite') {
    const converters = customerColumns.map(parquetColumn);
    const schema = new parquetjs.ParquetSchema(
      Object.fromEntries(
        customerColumns.map((c) => [
          c.name,
          {
            type: c.type === 'INT64' ? 'INT64' : c.type === 'TIMESTAMP' ? 'TIMESTAMP_MICROS' : 'UTF8',
            optional: true,
          },
        ]),
      ),
    );
    return async () => {
      const out = createWriteStream(file);
      const parquetWriter = await parquetjs.ParquetWriter.openStream(schema, out);
      for (const row of cycle(distinct, rows)) {
        const record: Record<string, unknown> = {};
        customerColumns.forEach((c, i) => {
          const value = converters[i]!.convert(row[c.name]);
          // parquetjs-lite parses INT64 with parseInt: exact only below 2^53.
          if (value !== null) record[c.name] = c.type === 'INT64' ? String(value) : value;
        });
        await parquetWriter.appendRow(record);
      }
      await parquetWriter.close();
    };
  }
  const source = path.join(dir, 'source.csv');
  writeFileSync(source, encodeWithCsvStringify(customerColumns, distinct));
  const connection = await (await DuckDBInstance.create(':memory:')).connect();
  await connection.run('SET threads = 1');
  await connection.run(
    `CREATE TABLE t AS SELECT c.* FROM read_csv('${source}', header = true) c, range(${Math.ceil(rows / distinct.length)})`,
  );
  return async () => {
    await connection.run(`COPY t TO '${file}' (FORMAT parquet)`);
  };
}
