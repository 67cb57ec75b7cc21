import type { Compression, ExportMode, FileFormat } from '@bq-sftp-export/contracts';

import type { CsvDialect } from '../schema/csv-dialect.schema.js';
import type { SftpAuth } from '../schema/destination.schema.js';
import type { ManifestFormat } from '../schema/manifest-name-template.js';

/** One export with every default applied: what the services work from. */
export interface ResolvedExport {
  readonly name: string;
  readonly sourceTable: string;
  readonly fileNameTemplate: string;
  readonly mode: ExportMode;
  readonly timestampColumn?: string;
  readonly columns: readonly string[];
  readonly format: FileFormat;
  readonly csv: CsvDialect;
  readonly compression: Compression;
  /** Key into `ExportConfig.destinations`. */
  readonly destination: string;
  readonly lookbackSeconds: number;
  readonly settleDelaySeconds: number;
  readonly startAt?: string;
  readonly dedupeKey?: readonly string[];
  readonly emptyExport: 'skip' | 'empty_file';
  readonly fileNameTimeZone: string;
}

/** An SFTP destination. `host`/`username` of the seed's block may come from the environment later. */
export interface DestinationSpec {
  readonly name: string;
  readonly host?: string;
  readonly username?: string;
  readonly port: number;
  readonly auth: SftpAuth;
  readonly hostKeyFingerprints: readonly string[];
  readonly path: string;
  readonly tempName: string;
  readonly collision: 'fail' | 'overwrite' | 'skip_if_identical';
  readonly createDirectory: boolean;
  /** Permission bits of the delivered file (`file_mode`, default 0o600). */
  readonly fileMode: number;
  /** OpenPGP encryption of every delivered file; absent: files go as staged. */
  readonly pgp?: PgpSpec;
  /** A manifest written after each delivered file; absent: none (the default). */
  readonly manifest?: ManifestSpec;
}

export interface ManifestSpec {
  readonly format: ManifestFormat;
  /** Name template, default applied: `{file}` and the manifest placeholders. */
  readonly name: string;
}

export interface PgpSpec {
  /** Partner keys, each with the config field it came from (for error messages). */
  readonly recipients: readonly PgpRecipientSpec[];
  readonly sign?: { readonly field: string; readonly privateKeyEnv: string; readonly passphraseEnv?: string };
  readonly armor: boolean;
  /** Appended to the file name on the server; `''` when none. */
  readonly fileSuffix: string;
}

export type PgpRecipientSpec =
  | { readonly field: string; readonly publicKey: string }
  | { readonly field: string; readonly publicKeyEnv: string };

export interface EmailSettings {
  readonly to: readonly string[];
  readonly from: string;
  readonly smtpHost: string;
  readonly smtpPort: number;
  readonly secure: boolean;
  readonly username?: string;
  readonly passwordEnv: string;
}

/** A run's volume against the median of the export's last successful runs. */
export interface VolumeAlertSettings {
  readonly runs: number;
  readonly minRuns: number;
  readonly dropBelow: number;
  readonly spikeAbove: number;
}

/** Alerts beyond failures; every one off unless the config turns it on. */
export interface AlertSettings {
  readonly zeroRows: boolean;
  readonly volume?: VolumeAlertSettings;
  readonly watermarkStalledRuns?: number;
  /** Seconds without a successful run before an export is stale (judged on `freshness.tick`). */
  readonly freshnessSeconds?: number;
}

export interface NotificationSettings {
  readonly email?: EmailSettings;
  readonly slack?: { readonly webhookUrlEnv: string };
  readonly onSuccess: boolean;
  readonly onFailure: boolean;
  readonly alerts: AlertSettings;
}

/** A validated, resolved, deeply frozen export configuration. */
export interface ExportConfig {
  /** The config's name (`default` for `configs/default.json`). */
  readonly name: string;
  readonly metadataTable: string;
  readonly exports: readonly ResolvedExport[];
  readonly destinations: Readonly<Record<string, DestinationSpec>>;
  readonly notifications: NotificationSettings;
  readonly staging: { readonly bucket?: string; readonly prefix: string };
}
