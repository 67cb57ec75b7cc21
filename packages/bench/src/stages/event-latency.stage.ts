import type { BenchRow } from '../report/bench-row.js';
import { runWorker } from '../measure/run-worker.js';
import { median, percentile } from '../measure/stats.js';
import type { EventLatencyResult } from '../workers/event-latency.worker.js';
import type { BenchSettings } from './bench-settings.js';

function latencyRun(settings: BenchSettings, trace: 'none' | 'file'): Promise<EventLatencyResult> {
  return runWorker<EventLatencyResult>('event-latency', [
    `--files=${settings.latencyFiles}`,
    '--bytes=1024',
    `--dir=${settings.dir}`,
    `--server-dir=${settings.serverDir}`,
    `--trace=${trace}`,
  ]);
}

/**
 * `file.ready` published → `upload.delivered` published, for 1 KB files, through the uploader
 * process; then the tracing overhead: the same latency with every span exported
 * (`TRACE_EXPORTER=file`, sample ratio 1) against tracing off (`none`), runs alternating.
 */
export async function eventLatencyStage(settings: BenchSettings): Promise<BenchRow[]> {
  const untraced: number[] = [];
  const traced: number[] = [];
  let first: EventLatencyResult | undefined;
  let spans = 0;
  for (let i = 0; i < settings.runs; i++) {
    const off = await latencyRun(settings, 'none');
    first ??= off;
    untraced.push(median(off.latenciesMs));
    const on = await latencyRun(settings, 'file');
    traced.push(median(on.latenciesMs));
    spans += on.spans;
  }
  const ms = first!.latenciesMs;
  const off = median(untraced);
  const on = median(traced);
  return [
    {
      stage: `event latency, 1 KB file (file.ready → upload.delivered), ${ms.length} files`,
      project: `median ${median(ms)} ms, p95 ${percentile(ms, 95)} ms`,
      baseline: '–',
      ratio: null,
      target: 'median, p95: report',
      met: null,
      data: first,
    },
    {
      stage: `tracing overhead: event latency with every span exported, ${settings.runs} × ${ms.length} files`,
      project: `TRACE_EXPORTER=file, ratio 1: median ${on} ms (${spans} spans)`,
      baseline: `TRACE_EXPORTER=none: median ${off} ms`,
      ratio: on > 0 ? off / on : null,
      target: '≤ 1.1× untraced (ratio ≥ 0.91)',
      met: spans > 0 && on <= off * 1.1,
      data: { untracedMedianMs: untraced, tracedMedianMs: traced, spans },
    },
  ];
}
