/**
 * The entry point of benchmark child processes: `worker.ts <name> --arg=value…`. Prints the
 * worker's result as one JSON line on stdout.
 */
import { startLocalBigQuery } from '@bq-sftp-export/local-bigquery';
import { startLocalGcs } from '@bq-sftp-export/local-gcs';

import { bigQueryReadWorker } from './bigquery-read.worker.js';
import { encodeWorker } from './encode.worker.js';
import { endToEndWorker } from './end-to-end.worker.js';
import { eventLatencyWorker } from './event-latency.worker.js';
import { gzipWorker } from './gzip.worker.js';
import { sftpUploadWorker } from './sftp-upload.worker.js';
import { uploadMemoryWorker } from './upload-memory.worker.js';

/** Prints `<key> <value>` lines for the parent, then serves until stdin closes. */
async function serveUntilStdinEnds(values: Record<string, string>, stop: () => Promise<void>) {
  for (const [key, value] of Object.entries(values)) process.stdout.write(`${key} ${value}\n`);
  process.stdin.resume();
  await new Promise((resolve) => process.stdin.once('end', resolve));
  await stop();
  return { stopped: true };
}

const workers: Record<string, (args: readonly string[]) => Promise<unknown>> = {
  'bigquery-read': bigQueryReadWorker,
  encode: encodeWorker,
  'end-to-end': endToEndWorker,
  'event-latency': eventLatencyWorker,
  gzip: gzipWorker,
  'sftp-upload': sftpUploadWorker,
  'upload-memory': uploadMemoryWorker,
  /** Serves a local Cloud Storage until stdin closes. */
  'local-gcs': async () => {
    const gcs = await startLocalGcs();
    return serveUntilStdinEnds({ endpoint: gcs.endpoint }, () => gcs.stop());
  },
  /** Serves a local BigQuery (REST and the Storage Read API) until stdin closes. */
  'local-bigquery': async () => {
    const bigquery = await startLocalBigQuery({ projectId: 'local-project' });
    return serveUntilStdinEnds({ endpoint: bigquery.endpoint, storage: bigquery.storageHost }, () =>
      bigquery.stop(),
    );
  },
};

// The Pub/Sub client asks google-auth-library for a universe domain even in emulator mode, which
// probes for a GCE metadata server (a DNS lookup off this machine): benchmarks stay on loopback.
process.env['METADATA_SERVER_DETECTION'] ??= 'none';

const [name = '', ...args] = process.argv.slice(2);
const worker = workers[name];
if (worker === undefined) {
  process.stderr.write(`unknown bench worker "${name}"\n`);
  process.exit(2);
}
const result = await worker(args);
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
