/* eslint-disable no-console -- a benchmark prints its figures */
/**
 * A whole export run (lease → rows → encoder → gzip? → hash → upload → file.ready → commit) of
 * `--rows` customer rows (default 1 000 000) through the real `ExportRunner`, with a row source
 * that generates rows lazily and a BlobStore that discards the staged bytes. Every 250 ms a full
 * GC, then a heap sample; fails (exit 1) when the retained heap grows by more than
 * `--ceiling-mb` (default 64) over the baseline: memory must stay flat however many rows pass.
 * `node --expose-gc --import tsx bench/export-memory.bench.ts [--rows=1000000] [--format=csv|parquet] [--gzip]`
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';

import type { BlobMetadata, BlobRef, CreateResult } from '@bq-sftp-export/cloud';
import { RecordingPublisher } from '@bq-sftp-export/cloud/testing';
import { validateExportConfig } from '@bq-sftp-export/config';
import { exportRequestedV1Schema } from '@bq-sftp-export/contracts';
import type { ExportQuery } from '@bq-sftp-export/export-domain';
import { createLogger, LogCapture } from '@bq-sftp-export/runtime';
import { CRC32C } from '@google-cloud/storage';

import { ExportRunner } from '../src/application/export-runner.js';
import type { RowSource, RowStream } from '../src/application/row-source.port.js';
import { ChecksummedBlobStore } from '../src/testing/checksummed-blob-store.js';
import { customerColumns, customerRows } from '../src/testing/customer-rows.js';
import { ManualClock } from '../src/testing/handler-fixture.js';
import { argNumber, cycle } from './bench-tools.js';

const rows = argNumber('rows', 1_000_000);
const ceilingMb = argNumber('ceiling-mb', 64);
const format = process.argv.includes('--format=parquet') ? 'parquet' : 'csv';
const gzip = process.argv.includes('--gzip');

/** Staged objects are counted and hashed, never kept; JSON documents stay in memory. */
class DiscardingBlobStore extends ChecksummedBlobStore {
  private readonly staged = new Map<string, BlobMetadata>();

  override async stat(ref: BlobRef): Promise<BlobMetadata | undefined> {
    return this.staged.get(ref.name) ?? super.stat(ref);
  }

  override async createFromStream(ref: BlobRef, source: Readable): Promise<CreateResult> {
    const crc = new CRC32C();
    const md5 = createHash('md5');
    let size = 0;
    for await (const chunk of source) {
      const bytes = chunk as Buffer;
      size += bytes.length;
      crc.update(bytes);
      md5.update(bytes);
    }
    const metadata: BlobMetadata = {
      ...ref,
      generation: '1',
      metageneration: '1',
      size,
      crc32c: crc.toString(),
      md5Hash: md5.digest('base64'),
      metadata: {},
    };
    this.staged.set(ref.name, metadata);
    return { kind: 'created', metadata };
  }

  override async patchMetadata(
    ref: BlobRef,
    metadata: Readonly<Record<string, string>>,
  ): Promise<BlobMetadata> {
    const current = this.staged.get(ref.name);
    if (current === undefined) return super.patchMetadata(ref, metadata);
    const next = { ...current, metadata: { ...current.metadata, ...metadata } };
    this.staged.set(ref.name, next);
    return next;
  }
}

/** Rows generated on demand, yielded in pages' worth of microtasks, like the SDK stream. */
const rowSource: RowSource = {
  openRows(_query: ExportQuery): Promise<RowStream> {
    const distinct = customerRows(10_000);
    async function* generate(): AsyncGenerator<Record<string, unknown>> {
      let index = 0;
      for (const row of cycle(distinct, rows)) {
        if (++index % 1000 === 0) await new Promise((resolve) => setImmediate(resolve));
        yield row;
      }
    }
    return Promise.resolve({ columns: customerColumns, rows: generate() });
  },
  countRows: () => Promise.resolve(0),
};

const config = validateExportConfig(
  {
    exports: [
      {
        name: 'customers',
        source_table: 'shop.customers',
        destination_filename: `customers_{datetime}.${format}`,
        columns: customerColumns.map((column) => column.name),
        format,
        compression: gzip ? 'gzip' : 'none',
      },
    ],
    sftp: { path: '/in', port: 22 },
    metadata_table: 'ops.export_metadata',
  },
  'bench',
);
const publisher = new RecordingPublisher();
const runner = new ExportRunner(
  new DiscardingBlobStore(),
  publisher,
  rowSource,
  new ManualClock(new Date()),
  {
    stagingBucket: 'bench',
    leaseSeconds: 3600,
  },
);

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined)
  throw new Error('run with node --expose-gc: the sampler measures the heap after a full GC');
gc();
const baseline = process.memoryUsage().heapUsed;
let peak = baseline;
// What is retained, not what awaits collection: a full GC before each sample.
const sampler = setInterval(() => {
  gc();
  peak = Math.max(peak, process.memoryUsage().heapUsed);
}, 250);
const started = process.hrtime.bigint();
const cpu = process.cpuUsage();
const outcome = await runner.run({
  config,
  exportConfig: config.exports[0]!,
  request: exportRequestedV1Schema.parse({ config: 'bench' }),
  runId: 'bench-run',
  bucket: 'bench',
  logger: createLogger({ level: 'info', name: 'bench', destination: new LogCapture() }),
});
clearInterval(sampler);
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const used = process.cpuUsage(cpu);
const fileReady = JSON.parse(publisher.on('file-ready')[0]?.data.toString('utf8') ?? '{}') as {
  rowCount?: number;
  byteSize?: number;
};
const growthMb = (peak - baseline) / 2 ** 20;
console.log(
  JSON.stringify({
    format,
    gzip,
    outcome: outcome.kind,
    rows: fileReady.rowCount,
    fileMB: +((fileReady.byteSize ?? 0) / 2 ** 20).toFixed(1),
    wallSeconds: +seconds.toFixed(1),
    cpuRowsPerSecond: Math.round(rows / ((used.user + used.system) / 1e6)),
    heapGrowthMB: +growthMb.toFixed(1),
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    ceilingMB: ceilingMb,
  }),
);
if (outcome.kind !== 'staged' || fileReady.rowCount !== rows || growthMb > ceilingMb) process.exit(1);
