export { startLocalBigQuery, splitStatements } from './local-bigquery.js';
export type { LocalBigQuery, LocalBigQueryOptions, LoadFileOptions } from './local-bigquery.js';
export type { TransientReason } from './faults/table-faults.js';
export { clientOptions } from './client-options.js';
export type { LocalClientOptions } from './client-options.js';
export { translate } from './sql/translate.js';
export type { Translation, TranslateOptions, TableRef, StatementType } from './sql/translation.js';
export { RESULTS_DATASET } from './storage/storage-read-server.js';
export type { StorageFaults, StorageReadOptions } from './storage/storage-read-server.js';
