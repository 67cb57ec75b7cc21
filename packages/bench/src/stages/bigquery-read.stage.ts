import type { BenchRow } from '../report/bench-row.js';
import { formatRate, formatRows } from '../report/units.js';
import { runWorker } from '../measure/run-worker.js';
import { medianSample, type Sample } from '../measure/stats.js';
import type { BigQueryReadResult } from '../workers/bigquery-read.worker.js';
import type { BenchSettings } from './bench-settings.js';

/**
 * The extractor's row source reading a 22-column table from the local BigQuery: over the
 * Storage Read API (Arrow; streams side by side, and an ORDER BY result in one stream) against
 * DuckDB reading the same rows in the same process, and against REST pages.
 */
export async function bigQueryReadStage(settings: BenchSettings): Promise<BenchRow[]> {
  const result = await runWorker<BigQueryReadResult>('bigquery-read', [
    `--rows=${settings.readRows}`,
    `--runs=${settings.runs}`,
    `--dir=${settings.dir}`,
  ]);
  const median = (name: string): Sample => {
    const samples: Sample[] | undefined = result.samples[name];
    if (samples === undefined) throw new Error(`the read worker returned no ${name} samples`);
    return medianSample(samples);
  };
  const rate = (name: string): number => result.rows / median(name).seconds;
  // The reading process's CPU (the local BigQuery runs in its own): steadier than wall time on a busy machine.
  const cpu = (name: string): string => `${median(name).cpuSeconds.toFixed(1)} CPU s`;
  const [storage, ordered, rest, duck] = ['storage', 'storage-ordered', 'rest', 'duckdb'].map(rate) as [
    number,
    number,
    number,
    number,
  ];
  const size = `${formatRows(result.rows)} rows × 22 columns`;
  return [
    {
      stage: `BigQuery read (local), Storage Read API, 4 streams, ${size}`,
      project: `${formatRate(storage)} rows/s, ${cpu('storage')}`,
      baseline: `DuckDB reading the same rows, 1 thread: ${formatRate(duck)} rows/s, ${cpu('duckdb')}`,
      ratio: storage / duck,
      target: '–',
      met: null,
      data: result,
    },
    {
      stage: `BigQuery read (local), Storage Read API vs REST pages, ${size}`,
      project: `${formatRate(storage)} rows/s (ORDER BY, 1 stream: ${formatRate(ordered)} rows/s, ${cpu('storage-ordered')})`,
      baseline: `REST getQueryResults pages: ${formatRate(rest)} rows/s, ${cpu('rest')}`,
      ratio: storage / rest,
      target: '≥ 1× (faster than REST)',
      met: storage >= rest,
    },
  ];
}
