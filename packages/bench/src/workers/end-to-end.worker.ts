import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { DEMO_CONFIG_NAME, openEventTap, requestAndFollow, startDemoStack } from '@bq-sftp-export/demo';
import { startOpenSshServer } from '@bq-sftp-export/testing';

import { timeInProcess, type Sample } from '../measure/stats.js';
import { argNumber, argString } from './args.js';

export interface EndToEndResult {
  readonly rows: number;
  /** Wall time from `export.requested` published to `upload.delivered` seen, per run (CPU is the services', not counted). */
  readonly samples: Sample[];
  readonly byteSize: number;
}

const exportName = 'shopify_customers';
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

/**
 * The whole path on the local stack of the demo (local BigQuery seeded with `--rows` rows per
 * table, Pub/Sub, Cloud Storage, the three built services) delivering to a real OpenSSH server:
 * `{"config": "default", "exports": [one], "mode": "full"}` → the file on SFTP, `--runs` times.
 */
export async function endToEndWorker(args: readonly string[]): Promise<EndToEndResult> {
  const rows = argNumber(args, 'rows');
  const runs = argNumber(args, 'runs');
  const directory = await mkdtemp(path.join(argString(args, 'dir'), 'e2e-'));
  const sftp = await startOpenSshServer({
    passwordAuthentication: true,
    baseDir: argString(args, 'server-dir'),
  });
  const stack = await startDemoStack({
    repoRoot,
    directory,
    persistent: false,
    rowsPerTable: rows,
    logLevel: 'warn',
    sftp: { ...sftp, password: sftp.password ?? '' },
  });
  const tap = await openEventTap(stack.clients.pubsub, 'bench-tap');
  try {
    const samples: Sample[] = [];
    let byteSize = 0;
    for (let i = 0; i < runs; i++) {
      // File names carry the run's start to the second: start each run in a new second.
      await new Promise((resolve) => setTimeout(resolve, 1100));
      samples.push(
        await timeInProcess(async () => {
          const result = await requestAndFollow(
            stack.clients.pubsub,
            tap,
            { config: DEMO_CONFIG_NAME, exports: [exportName], mode: 'full' },
            { exportNames: [exportName], timeoutMs: 600_000, services: () => stack.services() },
          );
          const entry = result.progress.exports()[0];
          if (!result.settled || entry?.step !== 'delivered') {
            throw new Error(`the export did not deliver: ${JSON.stringify(entry)}`);
          }
          byteSize = entry.byteSize ?? 0;
        }),
      );
    }
    return { rows, samples, byteSize };
  } finally {
    await tap.close();
    await stack.stop();
    await sftp.stop();
    await rm(directory, { recursive: true, force: true });
  }
}
