/** Where the local notification sinks listen, and what the history table's project is locally. */
export interface DemoConfigOptions {
  readonly projectId: string;
  readonly smtpHost: string;
  readonly smtpPort: number;
  /** Replaces the `sftp` block's `path` (the OpenSSH test server serves a directory of this machine). */
  readonly sftpPath?: string;
}

type JsonObject = Record<string, unknown>;

/**
 * The demo's config: the seed's file (`configs/default.json`) with exactly two changes, so it
 * runs against the local cloud — `metadata_table`'s placeholder project becomes the local
 * project (the local BigQuery serves one project), and a `notifications` block sends email to
 * the SMTP sink and Slack messages to the webhook sink (`SLACK_WEBHOOK_URL`). Everything else,
 * the exports and the `sftp` block, is the seed's.
 */
export function demoConfig(seed: JsonObject, options: DemoConfigOptions): JsonObject {
  const { $schema: _schema, ...config } = seed;
  const table = String(config['metadata_table']);
  const parts = table.split('.');
  const metadataTable = parts.length === 3 ? [options.projectId, ...parts.slice(1)].join('.') : table;
  const sftp = { ...(config['sftp'] as JsonObject | undefined) };
  if (options.sftpPath !== undefined) sftp['path'] = options.sftpPath;
  return {
    ...config,
    sftp,
    metadata_table: metadataTable,
    notifications: {
      email: {
        to: ['data-team@example.com'],
        from: 'bq-sftp-export@example.com',
        smtp_host: options.smtpHost,
        smtp_port: options.smtpPort,
      },
      slack: {},
    },
  };
}
