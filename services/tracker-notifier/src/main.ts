import { BigQuery } from '@google-cloud/bigquery';
import { PubSub } from '@google-cloud/pubsub';
import { Storage } from '@google-cloud/storage';
import { GcsBlobStore } from '@bq-sftp-export/cloud';
import { createConfigSource, parseEnvironment } from '@bq-sftp-export/config';
import { Topics, topologyOf } from '@bq-sftp-export/contracts';
import {
  HealthServer,
  Logger,
  MessageProcessor,
  PullTransport,
  PushServer,
  runtimeModule,
  ShutdownController,
  TopicDeadLetterPublisher,
} from '@bq-sftp-export/runtime';
import type { LogLevel } from '@bq-sftp-export/runtime';

import { blobConfigReader } from './adapters/blob-config-reader.js';
import { ExportEventHandler } from './application/export-event.handler.js';
import { createTrackerContainer, exportEventsConsumer } from './tracker.container.js';

/** tracker-notifier: `export.events` → history table in BigQuery, email and Slack. */
async function main(): Promise<void> {
  const environment = parseEnvironment(process.env);
  const topology = topologyOf(Topics.exportEvents);
  const subscriptionName = process.env['SUBSCRIPTION'] ?? topology.subscription;
  const recordsBucket = environment.stagingBucket;
  if (recordsBucket === undefined) throw new Error('STAGING_BUCKET is required (notification records)');
  const projectId = environment.googleCloudProject;
  const project = projectId === undefined ? {} : { projectId };
  const bigquery = new BigQuery({
    ...project,
    ...(environment.bigqueryEmulatorHost === undefined
      ? {}
      : { apiEndpoint: environment.bigqueryEmulatorHost }),
  });
  const storage = new Storage({
    ...project,
    ...(environment.storageEmulatorHost === undefined
      ? {}
      : { apiEndpoint: environment.storageEmulatorHost }),
  });
  const pubsub = new PubSub(project);
  const blobStore = new GcsBlobStore(storage);
  const level: LogLevel =
    environment.logLevel === 'trace'
      ? 'debug'
      : environment.logLevel === 'silent'
        ? 'fatal'
        : environment.logLevel;

  const container = createTrackerContainer({
    runtime: runtimeModule({ logger: { level, name: 'tracker-notifier' } }),
    environment,
    bigquery,
    blobStore,
    configSource: createConfigSource(environment.configSource, { blobReader: blobConfigReader(blobStore) }),
    recordsBucket,
    ...(process.env['BIGQUERY_LOCATION'] === undefined
      ? {}
      : { bigqueryLocation: process.env['BIGQUERY_LOCATION'] }),
  });
  const logger = container.get(Logger);
  const shutdown = container.get(ShutdownController);
  const consumer = exportEventsConsumer(container.get(ExportEventHandler));
  const processor = new MessageProcessor({
    subscription: subscriptionName,
    ...consumer,
    deadLetters: new TopicDeadLetterPublisher(pubsub.topic(topology.deadLetterTopic)),
    logger,
  });
  if (process.env['TRANSPORT'] === 'push') {
    const server = new PushServer(processor, { logger, port: environment.port, ...project });
    shutdown.register('push', server);
    shutdown.listen(process, () => process.exit(0));
    await server.start();
  } else {
    const transport = new PullTransport(pubsub.subscription(subscriptionName), processor, {
      logger,
      maxMessages: 4,
    });
    const health = new HealthServer({ port: environment.port, isHealthy: () => !shutdown.isShuttingDown });
    shutdown.register('pull', transport);
    shutdown.listen(process, () => process.exit(0));
    await health.start();
    transport.start();
  }
  logger.info('tracker-notifier started', { subscription: subscriptionName });
}

main().catch((error: unknown) => {
  process.stderr.write(
    `tracker-notifier failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
