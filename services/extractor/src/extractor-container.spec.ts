import { describe, expect, it } from '@jest/globals';
import { BigQuery } from '@google-cloud/bigquery';
import { PubSub } from '@google-cloud/pubsub';
import { Storage } from '@google-cloud/storage';
import { parseEnvironment } from '@bq-sftp-export/config';
import {
  createLogger,
  LogCapture,
  runtimeInstancesModule,
  ShutdownController,
} from '@bq-sftp-export/runtime';

import { ExportRequestedHandler } from './application/export-requested.handler.js';
import { ExportConfigSource } from './application/config-source.port.js';
import { buildExtractorContainer } from './extractor-container.js';
import { parseExtractorSettings } from './extractor-settings.env.js';

describe('the extractor container', () => {
  it('resolves the handler and a gs:// config source without touching the network', async () => {
    const env = parseEnvironment({ CONFIG_SOURCE: 'gs://bqx-config/team', STAGING_BUCKET: 'bqx-staging' });
    const settings = parseExtractorSettings({}, env.stagingBucket);
    const pubsub = new PubSub({ projectId: 'local-project', apiEndpoint: '127.0.0.1:1', emulatorMode: true });
    const shutdown = new ShutdownController();
    const logger = createLogger({ level: 'fatal', name: 'test', destination: new LogCapture() });
    const container = buildExtractorContainer(runtimeInstancesModule(logger, shutdown), env, settings, {
      bigquery: new BigQuery({ projectId: 'local-project', apiEndpoint: 'http://127.0.0.1:1' }),
      storage: new Storage({ projectId: 'local-project', apiEndpoint: 'http://127.0.0.1:1' }),
      pubsub,
    });
    expect(container.get(ExportRequestedHandler)).toBeInstanceOf(ExportRequestedHandler);
    expect(container.get(ExportConfigSource).locate('default')).toBe('gs://bqx-config/team/default.json');
    expect(settings).toEqual({ stagingBucket: 'bqx-staging', leaseSeconds: 3600 });
    await pubsub.close();
  });

  it('refuses a lease shorter than a minute', () => {
    expect(() => parseExtractorSettings({ EXTRACT_LEASE_SECONDS: '5' }, undefined)).toThrow(
      'EXTRACT_LEASE_SECONDS',
    );
  });
});
