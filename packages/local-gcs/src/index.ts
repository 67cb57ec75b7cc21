export { clientOptions } from './client-options.js';
export type { LocalGcsClientOptions } from './client-options.js';
export { startLocalGcs } from './start-local-gcs.js';
export type { LocalGcs, LocalGcsObject, LocalGcsOptions } from './start-local-gcs.js';
