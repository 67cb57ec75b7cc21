import type { BenchRow } from '../report/bench-row.js';
import { mbPerSecond } from '../report/units.js';
import { runWorker } from '../measure/run-worker.js';
import { medianSample } from '../measure/stats.js';
import type { GzipResult } from '../workers/gzip.worker.js';
import type { BenchSettings } from './bench-settings.js';

/** The extractor's gzip stage (zlib) against the gzip tool (and pigz when installed), same levels: reported only. */
export async function gzipStage(settings: BenchSettings): Promise<BenchRow[]> {
  const result = await runWorker<GzipResult>('gzip', [
    `--rows=${settings.gzipRows}`,
    `--runs=${settings.runs}`,
    `--dir=${settings.dir}`,
  ]);
  const rate = (name: string) => {
    const samples = result.samples[name];
    return samples === undefined ? undefined : mbPerSecond(result.inputBytes, medianSample(samples).seconds);
  };
  return [6, 1].map((level) => {
    const ours = rate(`project-${level}`)!;
    const gzip = rate(`gzip-${level}`)!;
    const pigz = rate(`pigz-${level}`);
    const size = (name: string) => `${((100 * result.outputBytes[name]!) / result.inputBytes).toFixed(0)} %`;
    return {
      stage: `gzip level ${level}${level === 6 ? ' (default)' : ''}, ${Math.round(result.inputBytes / 1e6)} MB CSV`,
      project: `${ours.toFixed(0)} MB/s → ${size(`project-${level}`)}`,
      baseline:
        `gzip -${level}: ${gzip.toFixed(0)} MB/s` +
        (pigz === undefined ? '' : `; pigz: ${pigz.toFixed(0)} MB/s`),
      ratio: ours / gzip,
      target: 'report',
      met: null,
      data: {
        level,
        inputBytes: result.inputBytes,
        outputBytes: result.outputBytes,
        samples: result.samples,
      },
    };
  });
}
