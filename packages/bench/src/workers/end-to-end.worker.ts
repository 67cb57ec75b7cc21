import { readFile, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { DEMO_CONFIG_NAME, openEventTap, requestAndFollow, startDemoStack } from '@bq-sftp-export/demo';
import type { DemoStack } from '@bq-sftp-export/demo';
import { exactRowOptions } from '@bq-sftp-export/extractor';
import { startOpenSshServer } from '@bq-sftp-export/testing';

import { timeInProcess, type Sample } from '../measure/stats.js';
import { argNumber, argString } from './args.js';
import { seedPlan } from './seed-plan.js';

export interface EndToEndResult {
  readonly rows: number;
  /** Wall time from `export.requested` published to `upload.delivered` seen, per run (CPU is the services', not counted). */
  readonly samples: Sample[];
  /** Reading the same rows from the local BigQuery with the extractor's client options, per run (CPU: this process, the emulator's included). */
  readonly readSamples: Sample[];
  readonly byteSize: number;
  /** Seconds to start the stack and seed the table. */
  readonly setUpSeconds: number;
  /** Peak RSS (VmHWM) of each service process over all runs, MB. */
  readonly servicePeakRssMB: Record<string, number>;
}

const exportName = 'shopify_customers';
const sourceTable = 'prod_staging.shopify_customerdata';
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

/**
 * The whole path on the local stack of the demo (local BigQuery, Pub/Sub, Cloud Storage, the
 * three built services) delivering to a real OpenSSH server:
 * `{"config": "default", "exports": [one], "mode": "full"}` → the file on SFTP, `--runs` times,
 * alternating with a plain read of the same rows from the local BigQuery (the stage that bounds
 * the export here).
 */
export async function endToEndWorker(args: readonly string[]): Promise<EndToEndResult> {
  const rows = argNumber(args, 'rows');
  const runs = argNumber(args, 'runs');
  const directory = await mkdtemp(path.join(argString(args, 'dir'), 'e2e-'));
  const sftp = await startOpenSshServer({
    passwordAuthentication: true,
    baseDir: argString(args, 'server-dir'),
  });
  const started = process.hrtime.bigint();
  const plan = seedPlan(rows);
  const stack = await startDemoStack({
    repoRoot,
    directory,
    persistent: false,
    rowsPerTable: plan.seeded,
    // No `logLevel` below info: the stack waits for each service's "service started" line.
    sftp: { ...sftp, password: sftp.password ?? '' },
  });
  const tap = await openEventTap(stack.clients.pubsub, 'bench-tap');
  try {
    for (let i = 0; i < plan.doublings; i++) {
      await stack.clients.bigquery.query({
        query: `INSERT INTO ${sourceTable} SELECT * FROM ${sourceTable}`,
      });
    }
    const setUpSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const samples: Sample[] = [];
    const readSamples: Sample[] = [];
    let byteSize = 0;
    for (let i = 0; i < runs; i++) {
      readSamples.push(await timeInProcess(() => readAllRows(stack, rows)));
      // File names carry the run's start to the second: start each run in a new second.
      await new Promise((resolve) => setTimeout(resolve, 1100));
      samples.push(
        await timeInProcess(async () => {
          byteSize = await exportOnce(stack, tap);
        }),
      );
    }
    return { rows, samples, readSamples, byteSize, setUpSeconds, servicePeakRssMB: await peakRss(stack) };
  } finally {
    await tap.close();
    await stack.stop();
    await sftp.stop();
    await rm(directory, { recursive: true, force: true });
  }
}

async function exportOnce(stack: DemoStack, tap: Awaited<ReturnType<typeof openEventTap>>): Promise<number> {
  const result = await requestAndFollow(
    stack.clients.pubsub,
    tap,
    { config: DEMO_CONFIG_NAME, exports: [exportName], mode: 'full' },
    { exportNames: [exportName], timeoutMs: 1_200_000, services: () => stack.services() },
  );
  const entry = result.progress.exports()[0];
  if (!result.settled || entry?.step !== 'delivered') {
    throw new Error(`the export did not deliver: ${JSON.stringify(entry)}`);
  }
  return entry.byteSize ?? 0;
}

/** Every row of the table through the client's paged stream, as the extractor reads them. */
async function readAllRows(stack: DemoStack, expected: number): Promise<void> {
  const [job] = await stack.clients.bigquery.createQueryJob({
    query: `SELECT * FROM ${sourceTable}`,
    useLegacySql: false,
  });
  let count = 0;
  for await (const row of job.getQueryResultsStream({ ...exactRowOptions })) if (row !== undefined) count++;
  if (count !== expected) throw new Error(`read ${count} rows, expected ${expected}`);
}

/** VmHWM of each running service (Linux), MB. */
async function peakRss(stack: DemoStack): Promise<Record<string, number>> {
  const peaks: Record<string, number> = {};
  for (const service of stack.services()) {
    if (service.pid === undefined) continue;
    const status = await readFile(`/proc/${service.pid}/status`, 'utf8').catch(() => '');
    const kb = /^VmHWM:\s+(\d+) kB$/m.exec(status)?.[1];
    if (kb !== undefined) peaks[service.name] = Math.round((Number(kb) * 1024) / 1e6);
  }
  return peaks;
}
