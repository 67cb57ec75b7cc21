import { mkdtemp, readdir, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { parseEnvironment } from '@bq-sftp-export/config';
import { Topology } from '@bq-sftp-export/contracts';

import { googleClientsFromEnv } from '../cloud/google-clients.js';
import { setUpLocalCloud } from '../setup/set-up-local-cloud.js';
import type { LocalCloud } from './local-cloud.js';
import { startLocalCloud } from './start-local-cloud.js';

const configDir = path.resolve(import.meta.dirname, '../../../../configs');

describe('startLocalCloud and setUpLocalCloud', () => {
  let directory: string;
  let cloud: LocalCloud;
  // Stands in for the GCE metadata server: the clients must never ask it anything.
  const metadataRequests: string[] = [];
  let metadata: Server;
  const savedMetadataHost = process.env['GCE_METADATA_HOST'];

  beforeAll(async () => {
    metadata = createServer((request, response) => {
      metadataRequests.push(request.url ?? '');
      response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => metadata.listen(0, '127.0.0.1', resolve));
    const address = metadata.address();
    if (address === null || typeof address === 'string') throw new Error('no metadata address');
    process.env['GCE_METADATA_HOST'] = `127.0.0.1:${address.port}`;
    directory = await mkdtemp(path.join(tmpdir(), 'bqx-local-cloud-'));
    cloud = await startLocalCloud({ directory });
  });

  afterAll(async () => {
    if (savedMetadataHost === undefined) delete process.env['GCE_METADATA_HOST'];
    else process.env['GCE_METADATA_HOST'] = savedMetadataHost;
    await new Promise((resolve) => metadata.close(resolve));
    await cloud.stop();
    await rm(directory, { recursive: true, force: true });
  });

  it('gives an environment the config package accepts, pointing at every part', () => {
    const env = cloud.env();
    const parsed = parseEnvironment(env);
    expect(parsed.pubsubEmulatorHost).toBe(cloud.pubsub.emulatorHost);
    expect(parsed.storageEmulatorHost).toBe(cloud.gcs.endpoint);
    expect(parsed.bigqueryEmulatorHost).toBe(cloud.bigquery.endpoint);
    expect(parsed.sftpHostKeyFingerprints).toEqual([cloud.sftp.hostKeyFingerprint]);
    expect(parsed.stagingBucket).toBe('local-staging');
    expect(env['SFTP_PORT']).toBe(String(cloud.sftp.port));
    expect(parsed.secrets.get('SFTP_PASSWORD')?.reveal()).toBe(cloud.sftp.password);
    expect(env['SLACK_WEBHOOK_URL']).toBe(cloud.slack.url);
  });

  it('creates the whole topology, the bucket and the seeded tables, and is idempotent', async () => {
    const first = await setUpLocalCloud(cloud, { seed: true, configDir, rowsPerTable: 120 });
    expect(first.topology.existing).toEqual([]);
    expect(first.bucket).toEqual({ name: 'local-staging', created: true });
    expect(first.tables).toEqual([
      { table: 'prod_staging.shopify_customerdata', created: true, rows: 120 },
      { table: 'prod_staging.klaviyo_customerdata', created: true, rows: 120 },
    ]);

    const expected = Topology.flatMap((entry) => [
      entry.topic,
      entry.deadLetterTopic,
      entry.subscription,
      entry.deadLetterSubscription,
    ]);
    expect([...first.topology.created].sort()).toEqual([...expected].sort());

    const { pubsub, bigquery } = googleClientsFromEnv(cloud.env());
    try {
      for (const entry of Topology) {
        const [metadata] = await pubsub.subscription(entry.subscription).getMetadata();
        expect(metadata.deadLetterPolicy?.deadLetterTopic).toMatch(
          new RegExp(`/topics/${entry.deadLetterTopic}$`),
        );
        expect(metadata.deadLetterPolicy?.maxDeliveryAttempts).toBe(entry.maxDeliveryAttempts);
        expect(metadata.topic).toMatch(new RegExp(`/topics/${entry.topic}$`));
      }
      const [rows] = await bigquery.query(
        'SELECT COUNT(DISTINCT id) AS n FROM `prod_staging.klaviyo_customerdata` WHERE source_type = "klaviyo"',
      );
      expect(rows).toEqual([{ n: 120 }]);
    } finally {
      await pubsub.close();
    }

    const second = await setUpLocalCloud(cloud, { seed: true, configDir, rowsPerTable: 50 });
    expect(second.topology.created).toEqual([]);
    expect(second.bucket.created).toBe(false);
    expect(second.tables.map((table) => [table.created, table.rows])).toEqual([
      [false, 120],
      [false, 120],
    ]);
  });

  it('keeps its state in the directory across a restart: host key, bucket, tables', async () => {
    expect((await readdir(directory)).sort()).toEqual(
      expect.arrayContaining(['bigquery.duckdb', 'gcs', 'mail', 'sftp', 'sftp-host-key']),
    );
    const fingerprint = cloud.sftp.hostKeyFingerprint;
    await cloud.stop();
    cloud = await startLocalCloud({ directory });
    expect(cloud.sftp.hostKeyFingerprint).toBe(fingerprint);
    expect(cloud.gcs.listBuckets()).toEqual(['local-staging']);
    const again = await setUpLocalCloud(cloud, { seed: true, configDir });
    expect(again.tables.map((table) => [table.created, table.rows])).toEqual([
      [false, 120],
      [false, 120],
    ]);
  });

  it('never asked the metadata server anything (no Google auth against the local cloud)', () => {
    expect(metadataRequests).toEqual([]);
  });
});
