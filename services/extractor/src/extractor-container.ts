import type { BigQuery } from '@google-cloud/bigquery';
import type { PubSub } from '@google-cloud/pubsub';
import type { Storage } from '@google-cloud/storage';
import { BlobStore, GcsBlobStore, MessagePublisher, PubSubMessagePublisher } from '@bq-sftp-export/cloud';
import { createConfigSource, type Environment } from '@bq-sftp-export/config';
import { runtimeModule, type LogLevel } from '@bq-sftp-export/runtime';
import { Container } from 'inversify';

import { blobStoreConfigReader } from './adapters/blob-store-config-reader.js';
import type { ExtractorSettings } from './application/extractor-settings.js';
import { extractorModule } from './extractor.module.js';

export interface GoogleClients {
  readonly bigquery: BigQuery;
  readonly storage: Storage;
  readonly pubsub: PubSub;
}

/** The extractor's container: runtime, Cloud Storage and Pub/Sub adapters, the extractor module. */
export function buildExtractorContainer(
  env: Environment,
  settings: ExtractorSettings,
  clients: GoogleClients,
): Container {
  const container = new Container();
  container.load(runtimeModule({ logger: { level: logLevelOf(env.logLevel), name: 'extractor' } }));
  container.bind(BlobStore).toConstantValue(new GcsBlobStore(clients.storage));
  container.bind(MessagePublisher).toConstantValue(new PubSubMessagePublisher(clients.pubsub));
  container.load(
    extractorModule({
      settings,
      bigquery: clients.bigquery,
      configSource: (store) =>
        createConfigSource(env.configSource, { blobReader: blobStoreConfigReader(store) }),
    }),
  );
  return container;
}

/** `LOG_LEVEL` accepts pino's `trace` and `silent` too; the logger's nearest levels stand in. */
function logLevelOf(level: Environment['logLevel']): LogLevel {
  if (level === 'trace') return 'debug';
  if (level === 'silent') return 'fatal';
  return level;
}
