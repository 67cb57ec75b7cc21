/**
 * What the SFTP adapter needs to know about one destination. A local shape for now, written to
 * match the destination part of the export configuration; `@bq-sftp-export/config` will own it.
 */
export type SftpAuth =
  | { readonly type: 'password'; readonly password: string }
  | { readonly type: 'private-key'; readonly privateKey: string; readonly passphrase?: string }
  /** Answers every keyboard-interactive prompt with `password` (what PAM's "Password:" asks). */
  | { readonly type: 'keyboard-interactive'; readonly password: string };

/** What to do when the final file name already exists on the server. */
export type CollisionPolicy = 'fail' | 'overwrite' | 'skip-if-identical';

/** Per-destination algorithm lists (ssh2 names, most preferred first), for legacy servers. */
export interface SftpAlgorithms {
  readonly kex?: readonly string[];
  readonly cipher?: readonly string[];
  readonly serverHostKey?: readonly string[];
  readonly hmac?: readonly string[];
  readonly compress?: readonly string[];
}

export interface SftpDestination {
  readonly host: string;
  readonly port: number;
  readonly username: string;
  readonly auth: SftpAuth;
  /** Pinned host key fingerprints, `SHA256:<base64 without padding>` as `ssh-keygen -l` prints them. */
  readonly hostKeyFingerprints: readonly string[];
  /** Accept any host key (test servers only; logged as a warning on every connection). */
  readonly insecureSkipHostKeyCheck?: boolean;
  /** The remote directory files are delivered to. */
  readonly path: string;
  /** Temporary name in the same directory; `{name}` is the final file name. Default `.{name}.partial`. */
  readonly tempNamePattern?: string;
  /** Default `fail`. */
  readonly collisionPolicy?: CollisionPolicy;
  /** Create `path` (and its parents) when missing. Default false. */
  readonly createDirectory?: boolean;
  /** Read the temporary file back and compare its sha256 before publishing. Default false. */
  readonly verifyReadBack?: boolean;
  readonly algorithms?: SftpAlgorithms;
}

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

export const defaultTempNamePattern = '.{name}.partial';
