import type { LocalCloud } from './local-cloud.js';

/**
 * The variables `@bq-sftp-export/config` and the services read, pointing at the local cloud:
 * the emulator hosts (BigQuery's Storage Read API too, used for every non-empty result), the project and staging bucket, the seed `sftp` block's host, port, user,
 * password and pinned host key, the Slack webhook, and the SMTP sink's host and port (for a
 * config's `notifications.email`; the sink takes no AUTH, so no EMAIL_PASSWORD is needed).
 */
export function localCloudEnv(cloud: Omit<LocalCloud, 'env' | 'stop'>): Readonly<Record<string, string>> {
  return Object.freeze({
    GOOGLE_CLOUD_PROJECT: cloud.projectId,
    PUBSUB_EMULATOR_HOST: cloud.pubsub.emulatorHost,
    STORAGE_EMULATOR_HOST: cloud.gcs.endpoint,
    BIGQUERY_EMULATOR_HOST: cloud.bigquery.endpoint,
    BIGQUERY_STORAGE_EMULATOR_HOST: cloud.bigquery.storageHost,
    // Locally every non-empty result is read over the Storage Read API (the demo's tables are
    // far below the production threshold), so the demo and the e2e tests exercise that path.
    STORAGE_READ_MIN_ROWS: '1',
    STAGING_BUCKET: cloud.stagingBucket,
    SFTP_HOST: cloud.sftp.host,
    SFTP_PORT: String(cloud.sftp.port),
    SFTP_USERNAME: cloud.sftp.username,
    SFTP_PASSWORD: cloud.sftp.password,
    SFTP_HOST_KEY_FINGERPRINTS: cloud.sftp.hostKeyFingerprint,
    SMTP_HOST: cloud.smtp.host,
    SMTP_PORT: String(cloud.smtp.port),
    SLACK_WEBHOOK_URL: cloud.slack.url,
  });
}
