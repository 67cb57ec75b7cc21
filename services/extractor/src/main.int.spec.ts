import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { BigQuery } from '@google-cloud/bigquery';
import { PubSub, type Message } from '@google-cloud/pubsub';
import { Storage } from '@google-cloud/storage';
import { ensureTopology } from '@bq-sftp-export/cloud';
import { decodeMessage, encodeMessage, Topics, topologyOf } from '@bq-sftp-export/contracts';
import {
  clientOptions as bigQueryOptions,
  startLocalBigQuery,
  type LocalBigQuery,
} from '@bq-sftp-export/local-bigquery';
import { clientOptions as gcsOptions, startLocalGcs, type LocalGcs } from '@bq-sftp-export/local-gcs';
import {
  clientOptions as pubsubOptions,
  startLocalPubSub,
  type LocalPubSub,
} from '@bq-sftp-export/local-pubsub';

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const project = 'local-project';

let pubsubServer: LocalPubSub;
let gcsServer: LocalGcs;
let bigQueryServer: LocalBigQuery;
let pubsub: PubSub;
let configDir: string;
let child: ChildProcess | undefined;

beforeAll(async () => {
  [pubsubServer, gcsServer, bigQueryServer] = await Promise.all([
    startLocalPubSub({ port: 0 }),
    startLocalGcs(),
    startLocalBigQuery({ projectId: project }),
  ]);
  pubsub = new PubSub(pubsubOptions(pubsubServer.host, project));
  await ensureTopology(pubsub);
  await new Storage(gcsOptions(gcsServer.endpoint)).createBucket('bqx-staging');
  const bigquery = new BigQuery(bigQueryOptions(bigQueryServer.endpoint, project));
  const [dataset] = await bigquery.createDataset('shop');
  const [table] = await dataset.createTable('orders', {
    schema: {
      fields: [
        { name: 'id', type: 'INT64' },
        { name: 'updated_at', type: 'TIMESTAMP' },
      ],
    },
  });
  await table.insert([
    { id: 1, updated_at: '2026-01-01T00:00:00Z' },
    { id: 2, updated_at: '2026-01-02T00:00:00Z' },
  ]);
  configDir = mkdtempSync(path.join(tmpdir(), 'bqx-extractor-main-'));
  writeFileSync(
    path.join(configDir, 'default.json'),
    JSON.stringify({
      exports: [
        {
          name: 'orders',
          source_table: 'shop.orders',
          destination_filename: 'ORDERS_{datetime}.csv',
          timestamp_column: 'updated_at',
          incremental: true,
          columns: ['id', 'updated_at'],
        },
      ],
      sftp: { path: '/in', port: 22 },
      metadata_table: 'ops.export_metadata',
    }),
  );
});

afterAll(async () => {
  child?.kill('SIGKILL');
  await pubsub.close();
  await Promise.all([pubsubServer.stop(), gcsServer.stop(), bigQueryServer.stop()]);
  rmSync(configDir, { recursive: true, force: true });
});

/** A port nothing listens on now (the config package's PORT must be 1-65535, not 0). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Resolves with the first message on `subscription` (acked). */
function nextMessage(subscription: string): Promise<Message> {
  return new Promise((resolve) => {
    const stream = pubsub.subscription(subscription);
    stream.once('message', (message: Message) => {
      message.ack();
      void stream.close().then(() => resolve(message));
    });
  });
}

describe('the extractor process (main.ts) against the local cloud', () => {
  it('pulls export.requested, stages the file, publishes file.ready, and stops cleanly on SIGTERM', async () => {
    const process_ = spawn(
      process.execPath,
      ['--import', 'tsx', '--conditions=@bq-sftp-export/source', 'src/main.ts'],
      {
        cwd: packageDir,
        env: {
          PATH: process.env['PATH'] ?? '',
          PUBSUB_EMULATOR_HOST: pubsubServer.emulatorHost,
          STORAGE_EMULATOR_HOST: gcsServer.endpoint,
          BIGQUERY_EMULATOR_HOST: bigQueryServer.endpoint,
          BIGQUERY_STORAGE_EMULATOR_HOST: bigQueryServer.storageHost,
          STORAGE_READ_MIN_ROWS: '1',
          GOOGLE_CLOUD_PROJECT: project,
          STAGING_BUCKET: 'bqx-staging',
          CONFIG_SOURCE: configDir,
          PORT: String(await freePort()),
          SHUTDOWN_BUDGET_MS: '1000',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child = process_;
    let output = '';
    process_.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    process_.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => process_.once('exit', (code) => resolve(code)));

    const fileReady = nextMessage(topologyOf(Topics.fileReady).subscription);
    const request = encodeMessage('export.requested', { config: 'default', requestId: 'main-int' });
    await pubsub
      .topic(Topics.exportRequests)
      .publishMessage({ data: request.data, attributes: { ...request.attributes } });

    const message = await Promise.race([
      fileReady,
      exited.then((code) => {
        throw new Error(`the extractor exited (${code}) before file.ready:\n${output}`);
      }),
    ]);
    const file = decodeMessage('file.ready', message.data, message.attributes);
    expect(file).toMatchObject({
      exportName: 'orders',
      configName: 'default',
      rowCount: 2,
      remoteDirectory: '/in',
    });
    const storage = new Storage(gcsOptions(gcsServer.endpoint));
    const [content] = await storage
      .bucket('bqx-staging')
      .file(file.gcs.uri.slice('gs://bqx-staging/'.length))
      .download();
    expect(content.toString('utf8')).toBe(
      'id,updated_at\n1,2026-01-01 00:00:00 UTC\n2,2026-01-02 00:00:00 UTC\n',
    );

    process_.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toContain('"message":"service started"');
    expect(output).not.toContain('2026-01-01 00:00:00 UTC'); // no row values in logs
  });
});
