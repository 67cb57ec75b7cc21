export type {
  CollisionPolicy,
  SftpAlgorithms,
  SftpAuth,
  SftpDestination,
} from '../../domain/sftp-destination.js';
export { defaultTempNamePattern } from '../../domain/sftp-destination.js';

/** Connection and transfer tuning; every field has a default. */
export interface SftpTuning {
  /** Handshake + authentication deadline. */
  readonly readyTimeoutMs: number;
  readonly keepaliveIntervalMs: number;
  readonly keepaliveCountMax: number;
  /** A single SFTP request (stat, open, rename, a write slot…) that takes longer fails the attempt. */
  readonly operationTimeoutMs: number;
  /** SFTP WRITE requests kept in flight. */
  readonly writeConcurrency: number;
  /** Bytes per WRITE request (OpenSSH accepts up to 255 KiB of data per request). */
  readonly writeChunkBytes: number;
}

export const defaultSftpTuning: SftpTuning = Object.freeze({
  readyTimeoutMs: 20_000,
  keepaliveIntervalMs: 10_000,
  keepaliveCountMax: 3,
  operationTimeoutMs: 60_000,
  writeConcurrency: 16,
  writeChunkBytes: 255 * 1024,
});

/** Delivered files are private to the account unless the destination says otherwise. */
export const defaultFileMode = 0o600;
