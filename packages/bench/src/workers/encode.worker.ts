import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import type { DuckDBConnection } from '@duckdb/node-api';
import { CsvEncodeTransform, ParquetEncodeTransform } from '@bq-sftp-export/extractor';

import { benchColumns, customerLikeRows, pagesOf } from '../data/customer-rows.js';
import { peakRssMB, timeInProcess, type Sample } from '../measure/stats.js';
import { argNumber, argString } from './args.js';

export interface EncodeResult {
  /** Samples by engine (`project`, `duckdb`), their runs interleaved. */
  readonly samples: Record<string, Sample[]>;
  readonly bytes: Record<string, number>;
  /** Peak RSS before the first run (Node, modules, the 10 000 source rows): the floor. */
  readonly baseRssMB: number;
  /** Peak RSS of the process; meaningful when one engine ran alone. */
  readonly peakRssMB: number;
}

const distinctRows = 10_000;
type Format = 'csv' | 'parquet';

/**
 * Encodes `--rows` customer-like rows to a file `--runs` times with each of `--engines`: the
 * extractor's encoder (`project`, fed in 1000-row pages as BigQuery delivers them) and DuckDB's
 * COPY on one thread (`duckdb`, from a table of the same rows). Runs alternate between
 * engines, so a noisy neighbour slows both alike.
 */
export async function encodeWorker(args: readonly string[]): Promise<EncodeResult> {
  const format = argString(args, 'format');
  const engines = argString(args, 'engines').split(',');
  const rows = argNumber(args, 'rows');
  const runs = argNumber(args, 'runs');
  if (format !== 'csv' && format !== 'parquet') throw new Error(`unknown format ${format}`);
  const dir = await mkdtemp(path.join(argString(args, 'dir'), `encode-`));
  try {
    const distinct = customerLikeRows(distinctRows);
    const tasks: Record<string, () => Promise<unknown>> = {};
    for (const engine of engines) {
      const out = path.join(dir, `${engine}.${format}`);
      if (engine === 'project') tasks[engine] = projectEncode(distinct, rows, format, out);
      else if (engine === 'duckdb') tasks[engine] = await duckDbCopy(dir, distinct, rows, format, out);
      else throw new Error(`unknown engine ${engine}`);
    }
    const baseRssMB = peakRssMB();
    const samples: Record<string, Sample[]> = {};
    for (let i = 0; i < runs; i++) {
      for (const [engine, task] of Object.entries(tasks))
        (samples[engine] ??= []).push(await timeInProcess(task));
    }
    const bytes: Record<string, number> = {};
    for (const engine of engines) bytes[engine] = (await stat(path.join(dir, `${engine}.${format}`))).size;
    return { samples, bytes, baseRssMB, peakRssMB: peakRssMB() };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function projectEncode(
  distinct: readonly Record<string, unknown>[],
  rows: number,
  format: Format,
  out: string,
) {
  return () =>
    pipeline(
      Readable.from(pagesOf(distinct, rows)),
      format === 'csv' ? new CsvEncodeTransform(benchColumns) : new ParquetEncodeTransform(benchColumns),
      createWriteStream(out),
    );
}

const duckType: Record<string, string> = { INT64: 'BIGINT', STRING: 'VARCHAR', TIMESTAMP: 'TIMESTAMPTZ' };

/** Loads the same rows into a DuckDB table (one thread) and returns a COPY … TO task. */
async function duckDbCopy(
  dir: string,
  distinct: readonly Record<string, unknown>[],
  rows: number,
  format: Format,
  out: string,
): Promise<() => Promise<void>> {
  const connection = await loadDuckDbTable(dir, distinct, rows);
  const options = format === 'csv' ? '(HEADER)' : '(FORMAT parquet)';
  return async () => {
    await connection.run(`COPY t TO '${out}' ${options}`);
  };
}

/**
 * A DuckDB connection (one thread, UTC) holding table `t`: `rows` rows, `distinct` repeated in
 * order. DuckDB is loaded only here: its native library would otherwise count in the project's RSS.
 */
export async function loadDuckDbTable(
  dir: string,
  distinct: readonly Record<string, unknown>[],
  rows: number,
): Promise<DuckDBConnection> {
  const seed = path.join(dir, 'seed.csv');
  const csv = new CsvEncodeTransform(benchColumns, { timestamp_format: 'iso8601' });
  await pipeline(Readable.from([distinct]), csv, createWriteStream(seed));
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const connection = await (await DuckDBInstance.create(':memory:')).connect();
  await connection.run(`SET threads = 1`);
  await connection.run(`SET TimeZone = 'UTC'`);
  const types = benchColumns.map((c) => `'${c.name}': '${duckType[c.type]}'`).join(', ');
  await connection.run(
    `CREATE TABLE seed AS SELECT * FROM read_csv('${seed}', header = true, columns = {${types}})`,
  );
  await connection.run(
    `CREATE TABLE t AS SELECT seed.* FROM range(${Math.ceil(rows / distinct.length)}), seed LIMIT ${rows}`,
  );
  return connection;
}
