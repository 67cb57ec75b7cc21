import { notMeasured, type BenchRow } from '../report/bench-row.js';
import { formatMB, formatRate, formatRows } from '../report/units.js';
import { runWorker } from '../measure/run-worker.js';
import { median, medianSample } from '../measure/stats.js';
import type { EndToEndResult } from '../workers/end-to-end.worker.js';
import type { UploadMemoryResult } from '../workers/upload-memory.worker.js';
import type { BenchSettings } from './bench-settings.js';
import { runEncodeWorker } from './encode.stage.js';

const memoryLimitMB = 250;

/**
 * `export.requested` → file on SFTP on the demo's local stack, against the slowest single
 * stage measured here for the same data: reading the rows from the local BigQuery, CSV
 * encoding them, or the SFTP upload of the delivered file. Also the peak RSS of the extractor
 * and uploader processes over the runs.
 */
export async function endToEndStage(settings: BenchSettings): Promise<BenchRow[]> {
  if (settings.e2eRows === 0) {
    return [
      notMeasured('end to end, local stack', '≤ 1.3× the slowest stage', 'full run only (not in --quick)'),
    ];
  }
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
    'BigQuery read (local emulator)': medianSample(e2e.readSamples).seconds,
    'CSV encoding': medianSample(encode.samples['project'] ?? []).seconds,
    'SFTP upload': median(uploads),
  };
  const [slowestName, slowest] = Object.entries(stages).sort((a, b) => b[1] - a[1])[0]!;
  const seconds = medianSample(e2e.samples).seconds;
  const factor = seconds / slowest;
  const size = `${formatRows(e2e.rows)} rows → ${formatMB(e2e.byteSize)} CSV`;
  return [
    {
      stage: `end to end, ${size} on SFTP, local stack`,
      project: `${seconds.toFixed(1)} s (${formatRate(e2e.rows / seconds)} rows/s)`,
      baseline: `slowest stage (${slowestName}): ${slowest.toFixed(1)} s`,
      ratio: slowest / seconds,
      target: '≤ 1.3× the slowest stage (ratio ≥ 0.77)',
      met: factor <= 1.3,
      data: { e2e, stages },
    },
    ...(['extractor', 'uploader'] as const).map((service) => {
      const peak = e2e.servicePeakRssMB[service];
      return {
        stage: `memory: ${service} process, end to end (${formatMB(e2e.byteSize)} output)`,
        project: peak === undefined ? 'not measured (no /proc)' : `peak RSS ${peak} MB`,
        baseline: '–',
        ratio: null,
        target: `flat; < ${memoryLimitMB} MB`,
        met: peak === undefined ? null : peak < memoryLimitMB,
      };
    }),
  ];
}
