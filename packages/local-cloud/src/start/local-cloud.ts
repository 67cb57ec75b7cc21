import type { LocalBigQuery } from '@bq-sftp-export/local-bigquery';
import type { LocalGcs } from '@bq-sftp-export/local-gcs';
import type { LocalPubSub } from '@bq-sftp-export/local-pubsub';
import type { LocalSftp } from '@bq-sftp-export/local-sftp';
import type { SlackSink, SmtpSink } from '@bq-sftp-export/local-sinks';

/** The parts of the local cloud, by name. */
export type LocalCloudPart = 'pubsub' | 'gcs' | 'bigquery' | 'sftp' | 'smtp' | 'slack';

export interface LocalCloudOptions {
  /**
   * Keep state here across restarts: `gcs/` (buckets), `bigquery.duckdb`, `sftp/` (the partner's
   * files), `sftp-host-key` (so the pinned fingerprint stays valid), `mail/` (`.eml` files).
   * Absent: everything in memory, the SFTP root in a temporary directory removed on stop.
   */
  readonly directory?: string;
  /** Fixed ports per part; absent or 0: a free one. */
  readonly ports?: Partial<Readonly<Record<LocalCloudPart, number>>>;
  /** Default `local-project`. */
  readonly projectId?: string;
  /** Default `local-staging`. */
  readonly stagingBucket?: string;
  /** Smallest Pub/Sub ack deadline accepted (tests lower it); default 10 s, as the real service. */
  readonly pubsubMinDeadlineSeconds?: number;
}

/** The embedded SFTP server with the account the services log in with. */
export interface LocalCloudSftp extends LocalSftp {
  /** Directory on this machine that the server serves as `/`. */
  readonly root: string;
  readonly username: string;
  /** A local-only password, generated at start. */
  readonly password: string;
}

/** Every part of the local cloud, running. */
export interface LocalCloud {
  readonly projectId: string;
  readonly stagingBucket: string;
  /** The state directory, when one was given. */
  readonly directory: string | undefined;
  readonly pubsub: LocalPubSub;
  readonly gcs: LocalGcs;
  readonly bigquery: LocalBigQuery;
  readonly sftp: LocalCloudSftp;
  readonly smtp: SmtpSink;
  readonly slack: SlackSink;
  /** The environment variables a service (or the CLI) needs to use this local cloud. */
  env(): Readonly<Record<string, string>>;
  /** Stops every part. */
  stop(): Promise<void>;
}
