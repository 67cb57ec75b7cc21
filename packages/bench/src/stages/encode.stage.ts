import type { BenchRow } from '../report/bench-row.js';
import { formatRate, formatRows } from '../report/units.js';
import { runWorker } from '../measure/run-worker.js';
import { medianSample, type Sample } from '../measure/stats.js';
import type { EncodeResult } from '../workers/encode.worker.js';
import type { BenchSettings } from './bench-settings.js';

/** Runs the encode worker in a child process; `engines` alternate run by run. */
export function runEncodeWorker(
  settings: BenchSettings,
  format: 'csv' | 'parquet',
  engines: string,
  options: { rows?: number; runs?: number } = {},
): Promise<EncodeResult> {
  return runWorker<EncodeResult>('encode', [
    `--format=${format}`,
    `--engines=${engines}`,
    `--rows=${options.rows ?? settings.rows}`,
    `--runs=${options.runs ?? settings.runs}`,
    `--dir=${settings.dir}`,
  ]);
}

const rowsPerSecond = (rows: number, samples: readonly Sample[] | undefined) => {
  if (samples === undefined) throw new Error('the encode worker returned no samples');
  return rows / medianSample(samples).seconds;
};

/** The extractor's CSV encoder (type rendering, quoting, UTF-8) against DuckDB's COPY on one thread. */
export async function csvEncodeStage(settings: BenchSettings): Promise<BenchRow[]> {
  const result = await runEncodeWorker(settings, 'csv', 'project,duckdb');
  const ours = rowsPerSecond(settings.rows, result.samples['project']);
  const duck = rowsPerSecond(settings.rows, result.samples['duckdb']);
  return [
    {
      stage: `CSV encoding, ${formatRows(settings.rows)} rows × 22 columns`,
      project: `${formatRate(ours)} rows/s`,
      baseline: `DuckDB COPY, 1 thread: ${formatRate(duck)} rows/s`,
      ratio: ours / duck,
      target: '≥ 0.4×',
      met: ours / duck >= 0.4,
      data: result,
    },
  ];
}

/**
 * The extractor's Parquet path (hyparquet-writer, streamed row groups) against DuckDB's COPY;
 * each in its own process, so the project's peak RSS is its own.
 */
export async function parquetEncodeStage(settings: BenchSettings): Promise<BenchRow[]> {
  const rows = settings.parquetRows;
  const ours = await runEncodeWorker(settings, 'parquet', 'project', { rows });
  const duck = await runEncodeWorker(settings, 'parquet', 'duckdb', { rows });
  const rate = rowsPerSecond(rows, ours.samples['project']);
  const duckRate = rowsPerSecond(rows, duck.samples['duckdb']);
  return [
    {
      stage: `Parquet encoding, ${formatRows(rows)} rows × 22 columns`,
      project: `${formatRate(rate)} rows/s, peak RSS ${ours.peakRssMB} MB`,
      baseline: `DuckDB COPY, 1 thread: ${formatRate(duckRate)} rows/s`,
      ratio: rate / duckRate,
      target: '≥ 100k rows/s, RSS < 300 MB',
      met: rate >= 100_000 && ours.peakRssMB < 300,
      data: { project: ours, duckdb: duck },
    },
  ];
}
