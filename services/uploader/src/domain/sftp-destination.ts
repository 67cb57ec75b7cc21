/**
 * Where and how one file is delivered: the destination as the uploader's domain sees it, built
 * from the export configuration and its resolved secrets (`sftpDestinationOf`), consumed by the
 * SFTP adapter.
 */
export type SftpAuth =
  | { readonly type: 'password'; readonly password: string }
  | { readonly type: 'private-key'; readonly privateKey: string; readonly passphrase?: string }
  /** Answers every keyboard-interactive prompt with `password` (what PAM's "Password:" asks). */
  | { readonly type: 'keyboard-interactive'; readonly password: string };

import type { ManifestFormat } from '@bq-sftp-export/config';

/** The temporary name when a destination names none: `{name}` is the final file name. */
export const defaultTempNamePattern = '.{name}.partial';

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
  /** Temporary name in the same directory; `{name}` is the final file name. Default `defaultTempNamePattern`. */
  readonly tempNamePattern?: string;
  /** Default `fail`. */
  readonly collisionPolicy?: CollisionPolicy;
  /** Create `path` (and its parents) when missing. Default false. */
  readonly createDirectory?: boolean;
  /** Read the temporary file back and compare its sha256 before publishing. Default false. */
  readonly verifyReadBack?: boolean;
  /** Permission bits of the delivered file, set on the handle (the server's umask does not apply). Default 0o600. */
  readonly fileMode?: number;
  readonly algorithms?: SftpAlgorithms;
  /** OpenPGP-encrypt the file on its way (the `pgp` adapter, before the atomic rename). */
  readonly encryption?: PgpEncryption;
  /** A manifest written after each delivered file (never encrypted); absent: none. */
  readonly manifest?: ManifestSettings;
}

export interface ManifestSettings {
  readonly format: ManifestFormat;
  /** The config's name template (`{file}`, `{export}`, `{run_id}`, `{window_start}`, `{window_end}`). */
  readonly nameTemplate: string;
}

/** Keys as armored text, each with the config field it came from (named in errors). */
export interface PgpEncryption {
  readonly recipients: readonly { readonly field: string; readonly armoredKey: string }[];
  readonly signing?: { readonly field: string; readonly privateKey: string; readonly passphrase?: string };
  readonly armor: boolean;
  /** Appended to the file name on the server; `''` when none. */
  readonly fileSuffix: string;
}
