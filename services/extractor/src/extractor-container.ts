import {
  BlobStore,
  GcsBlobStore,
  MessagePublisher,
  PubSubMessagePublisher,
  type GoogleClients,
  BlobStoreConfigReader,
} from '@bq-sftp-export/cloud';
import { createConfigSource, type Environment } from '@bq-sftp-export/config';
import { Container, type ContainerModule } from 'inversify';

import { createReadClient } from './adapters/storage-read.js';
import type { ExtractorSettings } from './application/extractor-settings.js';
import { extractorModule } from './extractor.module.js';

/**
 * The extractor's container: the runtime (`Logger`, `Clock`, `ShutdownController`, from the
 * bootstrap), the Cloud Storage and Pub/Sub adapters, and the extractor module.
 */
export function buildExtractorContainer(
  runtimeModule: ContainerModule,
  env: Environment,
  settings: ExtractorSettings,
  clients: GoogleClients,
): Container {
  const container = new Container();
  container.load(runtimeModule);
  container.bind(BlobStore).toConstantValue(new GcsBlobStore(clients.storage));
  container.bind(MessagePublisher).toConstantValue(new PubSubMessagePublisher(clients.pubsub));
  container.load(
    extractorModule({
      settings,
      bigquery: clients.bigquery,
      storageRead: {
        client: createReadClient(env.bigqueryStorageEmulatorHost, env.googleCloudProject),
        minRows: env.storageReadMinRows,
      },
      configSource: (store) =>
        createConfigSource(env.configSource, { blobReader: new BlobStoreConfigReader(store) }),
    }),
  );
  return container;
}
