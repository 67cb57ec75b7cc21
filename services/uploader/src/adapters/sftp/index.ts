export { hostKeyFingerprint } from './host-key.js';
export { sshNativeCryptoAvailable } from './native-crypto.js';
export { defaultSftpTuning, defaultTempNamePattern } from './sftp-destination.js';
export type {
  CollisionPolicy,
  SftpAlgorithms,
  SftpAuth,
  SftpDestination,
  SftpTuning,
} from './sftp-destination.js';
export { SftpErrorCode } from './sftp-errors.js';
export { SftpFileTransfer } from './sftp-file-transfer.adapter.js';
export type { SftpUploadRequest, SftpUploadResult } from './sftp-file-transfer.adapter.js';
export type { SftpLogger } from './sftp-logger.js';
export { writeStreamPipelined } from './pipelined-writer.js';
export type { PipelinedWriteOptions, PipelinedWriteResult, SftpWriteTarget } from './pipelined-writer.js';
