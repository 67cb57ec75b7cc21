import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import type { GoogleClients } from '@bq-sftp-export/cloud';
import type { LocalCloud } from '@bq-sftp-export/local-cloud';
import { googleClientsFromEnv, setUpLocalCloud, startLocalCloud } from '@bq-sftp-export/local-cloud';

import type { ExportPlan } from '../plan/plan-export.js';
import { runCaptured } from '../testing/run-captured.js';

const configs = path.resolve(import.meta.dirname, '../../../../configs');
const table = '`prod_staging.shopify_customerdata`';

describe('bq-sftp plan against the local cloud', () => {
  let cloud: LocalCloud;
  let env: Record<string, string>;
  let clients: GoogleClients;

  const objects = async (): Promise<string[]> =>
    (await clients.storage.bucket('local-staging').getFiles())[0].map((file) => file.name).sort();
  const plan = async (...args: string[]): Promise<ExportPlan[]> => {
    const result = await runCaptured(['plan', 'default', '--json', ...args], env);
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    return (JSON.parse(result.out) as { plans: ExportPlan[] }).plans;
  };

  beforeAll(async () => {
    cloud = await startLocalCloud();
    env = { ...cloud.env(), CONFIG_SOURCE: configs };
    await setUpLocalCloud(cloud, { seed: true, configDir: configs, rowsPerTable: 50 });
    clients = googleClientsFromEnv(env);
  });

  afterAll(async () => {
    await clients.pubsub.close();
    await cloud.stop();
  });

  it('plans a first incremental run: whole table, exact SQL with parameters, bytes, rows, file name', async () => {
    const [shopify, ...others] = await plan('--export', 'shopify_customers');
    expect(others).toEqual([]);
    expect(shopify).toMatchObject({
      export: 'shopify_customers',
      sourceTable: 'prod_staging.shopify_customerdata',
      checkpointHigh: null,
      runInProgress: null,
      empty: false,
      rowCount: 50,
      destination: 'default',
    });
    expect(shopify!.window).toMatchObject({ mode: 'incremental', low: null, scanLow: null });
    expect(shopify!.sql).toContain('FOR SYSTEM_TIME AS OF @snapshot');
    expect(shopify!.sql).toContain('WHERE `last_updated_at` < @high');
    expect(Object.keys(shopify!.params).sort()).toEqual(['high', 'snapshot']);
    expect(shopify!.params['high']).toBe(shopify!.window.high);
    expect(shopify!.bytesProcessed).toEqual(expect.any(Number));
    expect(shopify!.fileName).toMatch(/^SHOPIFYCUSTOMERDATA_\d{8}_\d{6}\.csv$/);
    expect(shopify!.remotePath).toBe(`/To_Verite/${shopify!.fileName}`);
  });

  it('starts the window at the checkpoint, and touches nothing', async () => {
    const [[boundary]] = (await clients.bigquery.query(
      `SELECT last_updated_at AS ts FROM ${table} ORDER BY last_updated_at LIMIT 1 OFFSET 25`,
    )) as unknown as [{ ts: { value: string } }[]];
    // The client gives nine fraction digits; checkpoints keep six, as formatInstant writes them.
    const high = boundary!.ts.value.replace(/(\.\d{6})\d*Z$/, '$1Z');
    const [[expected]] = (await clients.bigquery.query({
      query: `SELECT COUNT(*) AS n FROM ${table} WHERE last_updated_at >= @high`,
      params: { high: boundary!.ts },
    })) as unknown as [{ n: number }[]];
    await clients.storage
      .bucket('local-staging')
      .file('checkpoints/default/shopify_customers.json')
      .save(
        JSON.stringify({
          schemaVersion: 1,
          configName: 'default',
          exportName: 'shopify_customers',
          committed: { high, runId: 'run-1', committedAt: high },
          completedRunIds: ['run-1'],
          lease: null,
        }),
      );
    const before = await objects();

    const [shopify, klaviyo] = await plan();
    expect(shopify).toMatchObject({ checkpointHigh: high, rowCount: expected!.n });
    expect(shopify!.window.low).toBe(high);
    expect(shopify!.sql).toContain('WHERE `last_updated_at` >= @low AND `last_updated_at` < @high');
    expect(shopify!.params['low']).toBe(high);
    expect(klaviyo).toMatchObject({ export: 'klaviyo_customers', checkpointHigh: null, rowCount: 50 });
    expect(expected!.n).toBeLessThan(50);
    expect(await objects()).toEqual(before);
  });

  it('plans a full export and a backfill window; prints a readable plan', async () => {
    const [full] = await plan('--export', 'shopify_customers', '--full');
    expect(full).toMatchObject({ rowCount: 50, window: { mode: 'full', low: null } });

    const [backfill] = await plan(
      '--export',
      'shopify_customers',
      '--from',
      '2020-01-01T00:00:00Z',
      '--to',
      '2021-01-01T00:00:00Z',
    );
    expect(backfill).toMatchObject({
      rowCount: 0,
      window: { mode: 'backfill', low: '2020-01-01T00:00:00.000000Z', high: '2021-01-01T00:00:00.000000Z' },
    });

    const text = await runCaptured(['plan', 'default', '--export', 'klaviyo_customers'], env);
    expect(text.code).toBe(0);
    expect(text.out).toContain('export klaviyo_customers (prod_staging.klaviyo_customerdata)');
    expect(text.out).toContain('checkpoint: none (first run)');
    expect(text.out).toContain('FOR SYSTEM_TIME AS OF @snapshot');
    expect(text.out).toContain('rows: 50');
    expect(text.out).toMatch(
      /file: KLAVIYOCUSTOMERDATA_\d{8}_\d{6}\.csv → destination default: \/To_Verite\//,
    );

    const unknown = await runCaptured(['plan', 'default', '--export', 'nope'], env);
    expect(unknown.code).toBe(2);
  });
});
