import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { startLocalPubSub } from '@bq-sftp-export/local-pubsub';
import type { LocalPubSub } from '@bq-sftp-export/local-pubsub';

import { createGoogleClients, LOCAL_PROJECT_ID } from './google-clients.js';

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
}

/** A loopback HTTP server that records requests and answers every one with `{}`-ish JSON. */
async function recordingServer(
  answer: (url: string) => unknown,
): Promise<{ server: Server; seen: Seen[]; host: string }> {
  const seen: Seen[] = [];
  const server = createServer((request, response) => {
    seen.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers });
    request.resume();
    response
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify(answer(request.url ?? '')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, seen, host: `127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const saved = { ...process.env };
let pubsubServer: LocalPubSub;
let api: Awaited<ReturnType<typeof recordingServer>>;
let metadata: Awaited<ReturnType<typeof recordingServer>>;

beforeAll(async () => {
  pubsubServer = await startLocalPubSub({ port: 0 });
  api = await recordingServer((url) =>
    url.includes('/datasets') ? { datasets: [] } : { kind: 'storage#bucket', name: 'staging' },
  );
  metadata = await recordingServer(() => ({}));
  // Any auth attempt would fail loudly (missing key file) or show up at the metadata server.
  process.env['GOOGLE_APPLICATION_CREDENTIALS'] = '/nonexistent/bq-sftp-export-test-key.json';
  process.env['GCE_METADATA_HOST'] = metadata.host;
  delete process.env['GOOGLE_CLOUD_PROJECT'];
  delete process.env['STORAGE_EMULATOR_HOST'];
  delete process.env['BIGQUERY_EMULATOR_HOST'];
  delete process.env['PUBSUB_EMULATOR_HOST'];
});

afterAll(async () => {
  process.env = saved;
  await pubsubServer.stop();
  await new Promise((resolve) => api.server.close(resolve));
  await new Promise((resolve) => metadata.server.close(resolve));
});

describe('createGoogleClients in local mode', () => {
  it('talks to the local Pub/Sub, Storage and BigQuery with no Google auth and no metadata lookups', async () => {
    const clients = createGoogleClients({
      pubsubEmulatorHost: pubsubServer.host,
      storageEmulatorHost: api.host,
      bigqueryEmulatorHost: `http://${api.host}/`,
    });

    const [topic] = await clients.pubsub.createTopic('export-requests');
    await topic.publishMessage({ data: Buffer.from('{"config":"default"}') });
    expect(pubsubServer.topics()).toEqual([`projects/${LOCAL_PROJECT_ID}/topics/export-requests`]);

    const [exists] = await clients.storage.bucket('staging').exists();
    expect(exists).toBe(true);
    const [datasets] = await clients.bigquery.getDatasets();
    expect(datasets).toEqual([]);
    await clients.pubsub.close();

    expect(api.seen.map((request) => `${request.method} ${request.url.split('?')[0]}`)).toEqual([
      'GET /storage/v1/b/staging',
      `GET /bigquery/v2/projects/${LOCAL_PROJECT_ID}/datasets`,
    ]);
    expect(api.seen.every((request) => request.headers.authorization === undefined)).toBe(true);
    expect(metadata.seen).toEqual([]);
  });

  it('keeps the standard BigQuery paths when BIGQUERY_EMULATOR_HOST is also set', async () => {
    process.env['BIGQUERY_EMULATOR_HOST'] = api.host;
    try {
      const { bigquery } = createGoogleClients({ projectId: 'p-1', bigqueryEmulatorHost: api.host });
      api.seen.length = 0;
      await bigquery.getDatasets();
      expect(api.seen.map((request) => request.url.split('?')[0])).toEqual([
        '/bigquery/v2/projects/p-1/datasets',
      ]);
    } finally {
      delete process.env['BIGQUERY_EMULATOR_HOST'];
    }
  });

  it('leaves production clients on Application Default Credentials with the given project', () => {
    const clients = createGoogleClients({ projectId: 'prod-project' });
    expect(clients.pubsub.isEmulator).toBe(false);
    expect(clients.storage.apiEndpoint).toBe('https://storage.googleapis.com');
    expect(clients.storage.projectId).toBe('prod-project');
    expect(clients.bigquery.apiEndpoint).toBe('https://bigquery.googleapis.com');
    expect(clients.bigquery.projectId).toBe('prod-project');
  });
});
