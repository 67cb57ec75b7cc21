import type { BenchRow } from '../report/bench-row.js';
import { formatMB, formatRate, formatRows } from '../report/units.js';
import { runWorker } from '../measure/run-worker.js';
import { median, medianSample } from '../measure/stats.js';
import type { EndToEndResult } from '../workers/end-to-end.worker.js';
import type { UploadMemoryResult } from '../workers/upload-memory.worker.js';
import type { BenchSettings } from './bench-settings.js';
import { runEncodeWorker } from './encode.stage.js';

/**
 * `export.requested` → file on SFTP on the demo's local stack, against the slowest single
 * stage measured here for the same data: CSV encoding of the rows, or the SFTP upload of the
 * delivered file.
 */
export async function endToEndStage(settings: BenchSettings): Promise<BenchRow[]> {
  const e2e = await runWorker<EndToEndResult>('end-to-end', [
    `--rows=${settings.e2eRows}`,
    `--runs=${settings.runs}`,
    `--dir=${settings.dir}`,
    `--server-dir=${settings.serverDir}`,
  ]);
  const encode = await runEncodeWorker(settings, 'csv', 'project', { rows: settings.e2eRows });
  const uploads: number[] = [];
  for (let i = 0; i < settings.runs; i++) {
    const upload = await runWorker<UploadMemoryResult>('upload-memory', [
      `--bytes=${e2e.byteSize}`,
      `--server-dir=${settings.serverDir}`,
    ]);
    uploads.push(upload.sample.seconds);
  }
  const stages = {
    'CSV encoding': medianSample(encode.samples['project'] ?? []).seconds,
    'SFTP upload': median(uploads),
  };
  const [slowestName, slowest] = Object.entries(stages).sort((a, b) => b[1] - a[1])[0]!;
  const seconds = medianSample(e2e.samples).seconds;
  const factor = seconds / slowest;
  return [
    {
      stage: `end to end, ${formatRows(e2e.rows)} rows → ${formatMB(e2e.byteSize)} CSV on SFTP, local stack`,
      project: `${seconds.toFixed(1)} s (${formatRate(e2e.rows / seconds)} rows/s)`,
      baseline: `slowest stage (${slowestName}): ${slowest.toFixed(1)} s`,
      ratio: slowest / seconds,
      target: '≥ 0.77×: ≤ 1.3× the slowest stage',
      met: factor <= 1.3,
      data: { e2e, stages },
    },
  ];
}
