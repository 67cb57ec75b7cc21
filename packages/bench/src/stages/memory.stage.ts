import type { BenchRow } from '../report/bench-row.js';
import { formatMB } from '../report/units.js';
import { runWorker } from '../measure/run-worker.js';
import type { UploadMemoryResult } from '../workers/upload-memory.worker.js';
import type { BenchSettings } from './bench-settings.js';
import { runEncodeWorker } from './encode.stage.js';

const limitMB = 250;

/**
 * Peak RSS of the uploader's SFTP path and of the extractor's CSV encoder (writing a file, an
 * asynchronous consumer) per output size, each in its own process. The services' own peaks
 * over a whole export are in the end-to-end stage.
 */
export async function memoryStage(settings: BenchSettings): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const bytes of settings.memoryBytes) {
    const result = await runWorker<UploadMemoryResult>('upload-memory', [
      `--bytes=${bytes}`,
      `--server-dir=${settings.serverDir}`,
    ]);
    rows.push({
      stage: `memory: uploader, ${formatMB(bytes)} output`,
      project: `peak RSS ${result.peakRssMB} MB (${result.baseRssMB} MB before the upload)`,
      baseline: '–',
      ratio: null,
      target: `flat; < ${limitMB} MB`,
      met: result.peakRssMB < limitMB,
      data: result,
    });
  }
  for (const bytes of settings.memoryBytes) {
    // ~450 bytes of CSV per customer-like row.
    const encoder = await runEncodeWorker(settings, 'csv', 'project', {
      runs: 1,
      rows: Math.round(bytes / 450),
    });
    rows.push({
      stage: `memory: extractor CSV encoder → file, ${formatMB(encoder.bytes['project'] ?? 0)} output`,
      project: `peak RSS ${encoder.peakRssMB} MB (${encoder.baseRssMB} MB before encoding)`,
      baseline: '–',
      ratio: null,
      target: `flat; < ${limitMB} MB`,
      met: encoder.peakRssMB < limitMB,
      data: encoder,
    });
  }
  return rows;
}
