import { createGoogleClients, GcsBlobStore } from '@bq-sftp-export/cloud';
import type { GoogleClientOptions } from '@bq-sftp-export/cloud';
import { checkConfigSecrets, createConfigSource, parseEnvironment } from '@bq-sftp-export/config';
import type { Environment } from '@bq-sftp-export/config';
import { Topics, topologyOf } from '@bq-sftp-export/contracts';
import { AppError } from '@bq-sftp-export/runtime';
import type { MessageServiceOptions, ServiceEnvironment } from '@bq-sftp-export/runtime';

import { blobConfigReader } from './adapters/blob-config-reader.js';
import { ExportEventHandler } from './application/export-event.handler.js';
import { FreshnessChecker } from './application/freshness-checker.js';
import { createTrackerContainer, decodeTrackerMessage } from './tracker.container.js';
import type { TrackerMessage } from './tracker.container.js';

function clientOptionsOf(environment: Environment): GoogleClientOptions {
  const { googleCloudProject, pubsubEmulatorHost, storageEmulatorHost, bigqueryEmulatorHost } = environment;
  return {
    ...(googleCloudProject === undefined ? {} : { projectId: googleCloudProject }),
    ...(pubsubEmulatorHost === undefined ? {} : { pubsubEmulatorHost }),
    ...(storageEmulatorHost === undefined ? {} : { storageEmulatorHost }),
    ...(bigqueryEmulatorHost === undefined ? {} : { bigqueryEmulatorHost }),
  };
}

/**
 * tracker-notifier as a message service: consumes `export.events` (and the scheduler's
 * `freshness.tick` on the same topic), builds the container from
 * the environment (clients, config source, `STAGING_BUCKET` for the notification records) and
 * hands `runMessageService` its handler. `main.ts` runs it on `process.env`.
 */
export function trackerService(env: ServiceEnvironment): MessageServiceOptions<TrackerMessage> {
  return {
    serviceName: 'tracker-notifier',
    environment: env,
    consumes: topologyOf(Topics.exportEvents),
    decode: decodeTrackerMessage,
    compose: async ({ logger, runtimeModule }) => {
      const environment = parseEnvironment(env);
      const recordsBucket = environment.stagingBucket;
      if (recordsBucket === undefined) {
        throw new AppError('STAGING_BUCKET is required: the notification records live in it', {
          code: 'ENVIRONMENT_INVALID',
          retryable: false,
        });
      }
      const clients = createGoogleClients(clientOptionsOf(environment));
      const blobStore = new GcsBlobStore(clients.storage);
      const configSource = createConfigSource(environment.configSource, {
        blobReader: blobConfigReader(blobStore),
      });
      // A channel's secret missing from the environment stops the service here, naming it.
      const secrets = await checkConfigSecrets(configSource, environment, 'notifications');
      logger.info('config secrets checked', { ...secrets });
      const location = env['BIGQUERY_LOCATION'];
      const container = createTrackerContainer({
        runtime: runtimeModule,
        environment,
        bigquery: clients.bigquery,
        blobStore,
        configSource,
        recordsBucket,
        ...(location === undefined || location === '' ? {} : { bigqueryLocation: location }),
      });
      const handler = container.get(ExportEventHandler);
      const freshness = container.get(FreshnessChecker);
      return {
        pubsub: clients.pubsub,
        tracing: environment.tracing,
        handler: (message, context) =>
          message.type === 'freshness.tick'
            ? freshness.check(message, context)
            : handler.handle(message, context),
        ...(environment.googleCloudProject === undefined
          ? {}
          : { projectId: environment.googleCloudProject }),
        close: () => clients.pubsub.close(),
      };
    },
  };
}
