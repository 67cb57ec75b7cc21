import { createGoogleClients, GcsBlobStore } from '@bq-sftp-export/cloud';
import { createConfigSource, parseEnvironment } from '@bq-sftp-export/config';
import { Topics, topologyOf } from '@bq-sftp-export/contracts';
import { AppError, runMessageService } from '@bq-sftp-export/runtime';

import { blobConfigReader } from './adapters/blob-config-reader.js';
import { ExportEventHandler } from './application/export-event.handler.js';
import { createTrackerContainer, decodeExportEvent } from './tracker.container.js';

/** tracker-notifier: `export.events` → history table in BigQuery, email and Slack. */
await runMessageService({
  serviceName: 'tracker-notifier',
  environment: process.env,
  consumes: topologyOf(Topics.exportEvents),
  decode: decodeExportEvent,
  compose: ({ runtimeModule }) => {
    const environment = parseEnvironment(process.env);
    if (environment.stagingBucket === undefined) {
      throw new AppError('STAGING_BUCKET is required: notification records live in it', {
        code: 'ENVIRONMENT_INVALID',
        retryable: false,
      });
    }
    const clients = createGoogleClients({
      ...(environment.googleCloudProject === undefined ? {} : { projectId: environment.googleCloudProject }),
      ...(environment.pubsubEmulatorHost === undefined
        ? {}
        : { pubsubEmulatorHost: environment.pubsubEmulatorHost }),
      ...(environment.storageEmulatorHost === undefined
        ? {}
        : { storageEmulatorHost: environment.storageEmulatorHost }),
      ...(environment.bigqueryEmulatorHost === undefined
        ? {}
        : { bigqueryEmulatorHost: environment.bigqueryEmulatorHost }),
    });
    const blobStore = new GcsBlobStore(clients.storage);
    const location = process.env['BIGQUERY_LOCATION'];
    const container = createTrackerContainer({
      runtime: runtimeModule,
      environment,
      bigquery: clients.bigquery,
      blobStore,
      configSource: createConfigSource(environment.configSource, { blobReader: blobConfigReader(blobStore) }),
      recordsBucket: environment.stagingBucket,
      ...(location === undefined || location === '' ? {} : { bigqueryLocation: location }),
    });
    const handler = container.get(ExportEventHandler);
    return {
      pubsub: clients.pubsub,
      handler: (event, context) => handler.handle(event, context),
      ...(environment.googleCloudProject === undefined ? {} : { projectId: environment.googleCloudProject }),
      close: () => clients.pubsub.close(),
    };
  },
});
