import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { BigQuery } from '@google-cloud/bigquery';
import { PubSub } from '@google-cloud/pubsub';
import { Storage } from '@google-cloud/storage';
import { parseEnvironment } from '@bq-sftp-export/config';
import { startLocalBigQuery, type LocalBigQuery } from '@bq-sftp-export/local-bigquery';
import {
  createLogger,
  LogCapture,
  runtimeInstancesModule,
  ShutdownController,
} from '@bq-sftp-export/runtime';

import {
  buildExtractorContainer,
  closeExtractorContainer,
  StorageReadClient,
} from './extractor-container.js';
import { parseExtractorSettings } from './extractor-settings.env.js';

let bigQueryServer: LocalBigQuery;

beforeAll(async () => {
  bigQueryServer = await startLocalBigQuery({ projectId: 'local-project' });
  await bigQueryServer.seed(['CREATE SCHEMA IF NOT EXISTS s', 'CREATE TABLE s.t AS SELECT 1 AS id']);
});

afterAll(async () => {
  await bigQueryServer.stop();
});

describe('the extractor container on shutdown', () => {
  it('closes the Storage Read client it made, after a real session on the local server', async () => {
    const env = parseEnvironment({
      STAGING_BUCKET: 'bqx-staging',
      GOOGLE_CLOUD_PROJECT: 'local-project',
      BIGQUERY_STORAGE_EMULATOR_HOST: bigQueryServer.storageHost,
    });
    const pubsub = new PubSub({ projectId: 'local-project', apiEndpoint: '127.0.0.1:1', emulatorMode: true });
    const logger = createLogger({ level: 'fatal', name: 'test', destination: new LogCapture() });
    const container = buildExtractorContainer(
      runtimeInstancesModule(logger, new ShutdownController()),
      env,
      parseExtractorSettings({}, env.stagingBucket),
      {
        bigquery: new BigQuery({ projectId: 'local-project', apiEndpoint: 'http://127.0.0.1:1' }),
        storage: new Storage({ projectId: 'local-project', apiEndpoint: 'http://127.0.0.1:1' }),
        pubsub,
      },
    );
    const client = container.get(StorageReadClient);
    const session = {
      parent: 'projects/local-project',
      readSession: { table: 'projects/local-project/datasets/s/tables/t', dataFormat: 'ARROW' as const },
      maxStreamCount: 1,
    };
    const [created] = await client.createReadSession(session); // the channel is open now
    expect(created.streams).toHaveLength(1);

    await closeExtractorContainer(container);
    await expect(client.createReadSession(session)).rejects.toThrow(/closed/);
    await pubsub.close();
  });
});
