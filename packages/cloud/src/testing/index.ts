export { InMemoryBlobStore } from './in-memory-blob-store.js';
export { RecordingPublisher } from './recording-publisher.js';
export type { RecordedMessage } from './recording-publisher.js';
