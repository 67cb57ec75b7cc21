import type { BenchRow } from '../report/bench-row.js';
import type { BenchSettings } from './bench-settings.js';
import { bigQueryReadStage } from './bigquery-read.stage.js';
import { csvEncodeStage, parquetEncodeStage } from './encode.stage.js';
import { endToEndStage } from './end-to-end.stage.js';
import { eventLatencyStage } from './event-latency.stage.js';
import { gzipStage } from './gzip.stage.js';
import { memoryStage } from './memory.stage.js';
import { sftpUploadStage } from './sftp-upload.stage.js';

/** Every stage by its `--only` name, in table order. */
export const stages: Readonly<Record<string, (settings: BenchSettings) => Promise<BenchRow[]>>> = {
  sftp: sftpUploadStage,
  csv: csvEncodeStage,
  parquet: parquetEncodeStage,
  gzip: gzipStage,
  memory: memoryStage,
  read: bigQueryReadStage,
  'end-to-end': endToEndStage,
  latency: eventLatencyStage,
};
