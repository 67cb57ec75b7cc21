import {
  BlobStore,
  GcsBlobStore,
  MessagePublisher,
  PubSubMessagePublisher,
  type GoogleClients,
  BlobStoreConfigReader,
} from '@bq-sftp-export/cloud';
import { createConfigSource, type Environment } from '@bq-sftp-export/config';
import { Container, type ContainerModule, type ServiceIdentifier } from 'inversify';

import { createReadClient, type BigQueryReadClient } from './adapters/storage-read.js';
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
  const readClient = createReadClient(env.bigqueryStorageEmulatorHost, env.googleCloudProject);
  container.bind(StorageReadClient).toConstantValue(readClient);
  container.load(
    extractorModule({
      settings,
      bigquery: clients.bigquery,
      storageRead: { client: readClient, minRows: env.storageReadMinRows },
      configSource: (store) =>
        createConfigSource(env.configSource, { blobReader: new BlobStoreConfigReader(store) }),
    }),
  );
  return container;
}

/** The Storage Read API client the container made (its gRPC channel is the container's to close). */
export const StorageReadClient: ServiceIdentifier<BigQueryReadClient> = Symbol('StorageReadClient');

/**
 * Releases what the container opened, on shutdown after the transport stopped: flushes the
 * publisher, then closes the Storage Read client's gRPC channel (also when the flush failed).
 * The Google clients passed in (`GoogleClients`) are the caller's to close.
 */
export async function closeExtractorContainer(container: Container): Promise<void> {
  try {
    await container.get(MessagePublisher).close();
  } finally {
    await container.get(StorageReadClient).close();
  }
}
