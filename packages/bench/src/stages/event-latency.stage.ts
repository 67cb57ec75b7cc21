import type { BenchRow } from '../report/bench-row.js';
import { runWorker } from '../measure/run-worker.js';
import { median, percentile } from '../measure/stats.js';
import type { EventLatencyResult } from '../workers/event-latency.worker.js';
import type { BenchSettings } from './bench-settings.js';

/** `file.ready` published → `upload.delivered` published, for 1 KB files, through the uploader process. */
export async function eventLatencyStage(settings: BenchSettings): Promise<BenchRow[]> {
  const result = await runWorker<EventLatencyResult>('event-latency', [
    `--files=${settings.latencyFiles}`,
    '--bytes=1024',
    `--dir=${settings.dir}`,
    `--server-dir=${settings.serverDir}`,
  ]);
  const ms = result.latenciesMs;
  return [
    {
      stage: `event latency, 1 KB file (file.ready → upload.delivered), ${ms.length} files`,
      project: `median ${median(ms)} ms, p95 ${percentile(ms, 95)} ms`,
      baseline: '–',
      ratio: null,
      target: 'median, p95: report',
      met: null,
      data: result,
    },
  ];
}
