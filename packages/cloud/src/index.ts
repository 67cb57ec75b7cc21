export { BlobStore } from './ports/blob-store.js';
export type {
  BlobMetadata,
  BlobRef,
  CompareAndSwapResult,
  CreateResult,
  StoredJson,
} from './ports/blob-store.js';
export { formatGcsUri, parseGcsUri } from './ports/blob-uri.js';
export { MessagePublisher } from './ports/message-publisher.js';
export type { OutgoingMessage } from './ports/message-publisher.js';
export { BlobStoreConfigReader } from './adapters/blob-store-config-reader.js';
export { GcsBlobStore } from './adapters/gcs-blob-store.adapter.js';
export { PubSubMessagePublisher } from './adapters/pubsub-message-publisher.adapter.js';
export { translateGcsError } from './adapters/gcs-errors.js';
export { createGoogleClients, LOCAL_PROJECT_ID } from './clients/google-clients.js';
export type { GoogleClientOptions, GoogleClients } from './clients/google-clients.js';
export { ensureTopology } from './topology/ensure-topology.js';
export type { EnsureTopologyOptions, TopologyReport } from './topology/ensure-topology.js';
