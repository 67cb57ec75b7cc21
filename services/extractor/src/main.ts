import { BigQuery } from '@google-cloud/bigquery';
import { PubSub } from '@google-cloud/pubsub';
import { Storage } from '@google-cloud/storage';
import { MessagePublisher } from '@bq-sftp-export/cloud';
import { parseEnvironment, type Environment } from '@bq-sftp-export/config';
import { decodeMessage, Topics, topologyOf } from '@bq-sftp-export/contracts';
import {
  HealthServer,
  Logger,
  MessageProcessor,
  PullTransport,
  ShutdownController,
  TopicDeadLetterPublisher,
} from '@bq-sftp-export/runtime';

import { ExportRequestedHandler } from './application/export-requested.handler.js';
import { buildExtractorContainer, type GoogleClients } from './extractor-container.js';
import { parseExtractorSettings } from './extractor-settings.env.js';

/**
 * Google clients from the environment: the emulator hosts of the local cloud when set (no
 * Google auth at all), Application Default Credentials otherwise.
 */
function googleClients(env: Environment): GoogleClients {
  const projectId = env.googleCloudProject ?? 'local-project';
  const local = (host: string): string => (host.startsWith('http') ? host : `http://${host}`);
  return {
    bigquery: new BigQuery(
      env.bigqueryEmulatorHost === undefined
        ? { projectId }
        : { projectId, apiEndpoint: local(env.bigqueryEmulatorHost) },
    ),
    storage: new Storage(
      env.storageEmulatorHost === undefined
        ? { projectId }
        : { projectId, apiEndpoint: local(env.storageEmulatorHost), useAuthWithCustomEndpoint: false },
    ),
    pubsub: new PubSub(
      env.pubsubEmulatorHost === undefined
        ? { projectId }
        : { projectId, apiEndpoint: env.pubsubEmulatorHost, emulatorMode: true },
    ),
  };
}

/** The extractor worker: streaming pull on `extractor.export-requests`, one request at a time. */
async function main(): Promise<void> {
  const env = parseEnvironment(process.env);
  const settings = parseExtractorSettings(process.env, env.stagingBucket);
  const clients = googleClients(env);
  const container = buildExtractorContainer(env, settings, clients);
  const logger = container.get(Logger);
  const shutdown = container.get(ShutdownController);
  const handler = container.get(ExportRequestedHandler);
  const publisher = container.get(MessagePublisher);
  const entry = topologyOf(Topics.exportRequests);

  const processor = new MessageProcessor({
    subscription: entry.subscription,
    decode: (data, attributes) => decodeMessage('export.requested', data, attributes),
    handler: (request, context) => handler.handle(request, context),
    deadLetters: new TopicDeadLetterPublisher(clients.pubsub.topic(entry.deadLetterTopic)),
    logger,
  });
  const transport = new PullTransport(clients.pubsub.subscription(entry.subscription), processor, {
    logger,
    maxMessages: 1,
  });
  const health = new HealthServer({ port: env.port, isHealthy: () => !shutdown.isShuttingDown });
  shutdown.register('pull', transport);
  shutdown.register('publisher', { stop: () => publisher.close() });
  shutdown.listen(process, () => process.exit(0));
  await health.start();
  transport.start();
  logger.info('extractor started', { subscription: entry.subscription });
}

main().catch((error: unknown) => {
  process.stderr.write(
    `extractor failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
