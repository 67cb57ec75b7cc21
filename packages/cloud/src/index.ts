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
export { GcsBlobStore } from './adapters/gcs-blob-store.adapter.js';
export { PubSubMessagePublisher } from './adapters/pubsub-message-publisher.adapter.js';
export { translateGcsError } from './adapters/gcs-errors.js';
