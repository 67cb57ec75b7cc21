export { uploaderModule, UploaderConfigSource, UploaderEnvironment } from './uploader.module.js';
export type { UploaderModuleOptions } from './uploader.module.js';
export {
  DeliverFileHandler,
  DeliverFileOptions,
  STAGED_OBJECT_MISSING,
} from './application/deliver-file.handler.js';
export { DELIVERY_CLAIM_LOST, DeliveryLedger, LEDGER_ENTRY_INVALID } from './application/delivery-ledger.js';
export type { DeliveryLedgerOptions, HeldClaim } from './application/delivery-ledger.js';
export { FileTransfer } from './application/file-transfer.js';
export type { FileTransferRequest, FileTransferResult } from './application/file-transfer.js';
export { ConfiguredDestinationResolver, DestinationResolver } from './application/destination-resolver.js';
export { CachedExportConfigProvider, ExportConfigProvider } from './application/export-config-provider.js';
export { ExportEventPublisher } from './application/export-event-publisher.js';
export { ledgerKeyOf, ledgerObjectNames, recordNameFor } from './domain/ledger-key.js';
export type { LedgerKey, LedgerObjectNames } from './domain/ledger-key.js';
export { parseLedgerEntry } from './domain/ledger-entry.js';
export type { LedgerEntry } from './domain/ledger-entry.js';
export { sftpDestinationOf } from './domain/destination-from-config.js';
export { classifyUploadFailure } from './domain/upload-failure.js';
export type { FailureVerdict } from './domain/upload-failure.js';
export {
  defaultSftpTuning,
  SftpErrorCode,
  SftpFileTransfer,
  sshNativeCryptoAvailable,
} from './adapters/sftp/index.js';
export type { SftpDestination, SftpTuning } from './adapters/sftp/index.js';
