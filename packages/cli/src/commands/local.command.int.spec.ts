import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { Topology } from '@bq-sftp-export/contracts';
import type { LocalCloud } from '@bq-sftp-export/local-cloud';
import { googleClientsFromEnv, startLocalCloud } from '@bq-sftp-export/local-cloud';

import { pullAll } from '../testing/pull-all.js';
import { runCaptured } from '../testing/run-captured.js';

const configs = path.resolve(import.meta.dirname, '../../../../configs');

describe('bq-sftp local setup and history against a running local cloud', () => {
  let cloud: LocalCloud;
  let env: Record<string, string>;
  let configDir: string;

  beforeAll(async () => {
    cloud = await startLocalCloud();
    env = { ...cloud.env(), CONFIG_SOURCE: configs };
    configDir = await mkdtemp(path.join(tmpdir(), 'bqx-cli-history-'));
  });

  afterAll(async () => {
    await cloud.stop();
    await rm(configDir, { recursive: true, force: true });
  });

  it('local setup --seed creates the full topology, the bucket and both seeded tables', async () => {
    const result = await runCaptured(['local', 'setup', '--seed', '--rows', '40', '--json'], env);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.out) as {
      topology: { created: string[] };
      bucket: { name: string; created: boolean };
      tables: { table: string; rows: number }[];
    };
    expect(report.topology.created).toHaveLength(Topology.length * 4);
    expect(report.bucket).toEqual({ name: 'local-staging', created: true });
    expect(report.tables.map((table) => [table.table, table.rows])).toEqual([
      ['prod_staging.shopify_customerdata', 40],
      ['prod_staging.klaviyo_customerdata', 40],
    ]);
    const { bigquery, pubsub } = googleClientsFromEnv(env);
    try {
      const [rows] = await bigquery.query(
        'SELECT source_type, COUNT(*) AS n FROM `prod_staging.shopify_customerdata` GROUP BY source_type',
      );
      expect(rows).toEqual([{ source_type: 'shopify', n: 40 }]);
      const [subscriptions] = await pubsub.getSubscriptions();
      expect(subscriptions.map((subscription) => subscription.name.split('/').pop()).sort()).toEqual(
        Topology.flatMap((entry) => [entry.subscription, entry.deadLetterSubscription]).sort(),
      );
    } finally {
      await pubsub.close();
    }

    const again = await runCaptured(['local', 'setup', '--seed'], env);
    expect(again.code).toBe(0);
    expect(again.err).toContain('topology: 0 created, 12 already there; bucket local-staging already there');
    expect(again.err).toContain('table prod_staging.shopify_customerdata: 40 rows (already there)');
  });

  it('local setup refuses to run without the emulator hosts', async () => {
    const result = await runCaptured(['local', 'setup', '--seed'], { CONFIG_SOURCE: configs });
    expect(result.code).toBe(2);
    expect(result.err).toContain('PUBSUB_EMULATOR_HOST, STORAGE_EMULATOR_HOST, BIGQUERY_EMULATOR_HOST');
  });

  it('history lists the newest runs from the <metadata_table>_runs view', async () => {
    await writeFile(
      path.join(configDir, 'hist.json'),
      JSON.stringify({
        exports: [
          { name: 'a', source_table: 'ds.a', destination_filename: 'A_{run_id}.csv', columns: ['id'] },
          { name: 'b', source_table: 'ds.b', destination_filename: 'B_{run_id}.csv', columns: ['id'] },
        ],
        sftp: { path: '/in' },
        metadata_table: 'ops.export_metadata',
      }),
    );
    const { bigquery } = googleClientsFromEnv(env);
    await bigquery.createDataset('ops');
    await bigquery.query(
      'CREATE TABLE `ops.export_metadata` (config_name STRING, export_name STRING, run_id STRING, export_status STRING, event_type STRING, rows_exported INT64, file_name STRING, window_high TIMESTAMP, occurred_at TIMESTAMP, error_code STRING)',
    );
    const historyEnv = { ...env, CONFIG_SOURCE: configDir };
    const noView = await runCaptured(['history', '--config', 'hist'], historyEnv);
    expect(noView.code).toBe(1);
    expect(noView.err).toContain('ops.export_metadata_runs not found: tracker-notifier creates');
    // A stand-in with the columns of tracker-notifier's runs view (one row per run here).
    await bigquery.query(
      'CREATE OR REPLACE VIEW `ops.export_metadata_runs` AS SELECT config_name, export_name, run_id, export_status, event_type AS last_event_type, rows_exported, file_name, window_high, occurred_at AS last_event_at, error_code FROM `ops.export_metadata`',
    );
    await bigquery.query(
      "INSERT INTO `ops.export_metadata` VALUES ('hist', 'a', 'run-1', 'success', 'upload.delivered', 10, 'A_run-1.csv', TIMESTAMP '2026-01-05 08:00:00+00', TIMESTAMP '2026-01-05 08:01:00+00', NULL), ('hist', 'b', 'run-2', 'failed', 'upload.failed', 5, 'B_run-2.csv', TIMESTAMP '2026-01-05 09:00:00+00', TIMESTAMP '2026-01-05 09:01:00+00', 'SFTP_AUTH_FAILED'), ('hist', 'a', 'run-3', 'staged', 'extract.staged', 7, 'A_run-3.csv', TIMESTAMP '2026-01-05 10:00:00+00', TIMESTAMP '2026-01-05 10:01:00+00', NULL), ('other', 'a', 'run-9', 'success', 'upload.delivered', 1, 'x.csv', NULL, TIMESTAMP '2026-01-06 00:00:00+00', NULL)",
    );

    const newest = await runCaptured(['history', '--config', 'hist', '--limit', '2', '--json'], historyEnv);
    expect(newest.code).toBe(0);
    const rows = JSON.parse(newest.out) as { run_id: string; export_status: string; rows_exported: number }[];
    expect(rows.map((row) => [row.run_id, row.export_status, row.rows_exported])).toEqual([
      ['run-3', 'staged', 7],
      ['run-2', 'failed', 5],
    ]);

    const onlyA = await runCaptured(['history', '--config', 'hist', '--export', 'a'], historyEnv);
    expect(onlyA.code).toBe(0);
    expect(onlyA.out).toContain('export_status');
    expect(onlyA.out).toContain('run-3');
    expect(onlyA.out).toContain('run-1');
    expect(onlyA.out).not.toContain('run-2');
    expect(onlyA.out).not.toContain('run-9');

    const none = await runCaptured(['history', '--config', 'hist', '--export', 'zzz'], historyEnv);
    expect(none.out).toContain('no runs in ops.export_metadata_runs');
  });
});

describe('bq-sftp local up', () => {
  let directory: string;

  beforeAll(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'bqx-cli-local-up-'));
  });

  afterAll(() => rm(directory, { recursive: true, force: true }));

  it('starts, seeds, prints a working environment and stops on signal', async () => {
    const controller = new AbortController();
    let ready: () => void = () => undefined;
    const printed = new Promise<void>((resolve) => (ready = resolve));
    const running = runCaptured(
      ['local', 'up', '--directory', directory, '--seed', '--rows', '5'],
      { CONFIG_SOURCE: configs },
      { signal: controller.signal, onOut: (out) => out.includes('SLACK_WEBHOOK_URL') && ready() },
    );
    await Promise.race([printed, running]);
    try {
      const envFile = path.join(directory, 'local-cloud.env');
      expect((await stat(envFile)).mode & 0o777).toBe(0o600);
      const env = await readEnvBlock(envFile);
      const trigger = await runCaptured(['trigger'], { ...env, CONFIG_SOURCE: configs });
      expect(trigger.code).toBe(0);
      const { pubsub } = googleClientsFromEnv(env);
      try {
        expect(await pullAll(pubsub, 'extractor.export-requests')).toHaveLength(1);
      } finally {
        await pubsub.close();
      }
    } finally {
      controller.abort();
    }
    const result = await running;
    expect(result.code).toBe(0);
    expect(result.err).toContain('table prod_staging.klaviyo_customerdata: 5 rows (seeded)');
    expect(result.err).toContain('local cloud stopped');
  });
});

/** The `export NAME='value'` lines `local up` wrote, as an environment. */
async function readEnvBlock(file: string): Promise<Record<string, string>> {
  const text = await readFile(file, 'utf8');
  return Object.fromEntries(
    [...text.matchAll(/^export ([A-Z_]+)='([^']*)'$/gm)].map((match) => [match[1]!, match[2]!]),
  );
}
