import { parseEnvironment, resolveNotificationSecrets, validateExportConfig } from '@bq-sftp-export/config';
import type { Environment, ExportConfig, NotificationSecrets, Secret } from '@bq-sftp-export/config';
import type { Clock } from '@bq-sftp-export/runtime';

import { FALLBACK_SLACK_WEBHOOK_ENV } from '../application/ports/export-configs.js';
import type { ExportConfigs } from '../application/ports/export-configs.js';
import type { HistoryWriter } from '../application/ports/history-writer.js';
import type { EmailSender, EmailTarget, SlackSender } from '../application/ports/notifiers.js';
import type { HistoryRow } from '../domain/history-row.js';
import type { EmailContent } from '../domain/render-email.js';
import type { SlackContent } from '../domain/render-slack.js';

export const SLACK_URL = 'https://hooks.slack.com/services/T000/B000/secret-token-value';
export const SMTP_PASSWORD = 'smtp-password-value';

/** A config file like the seed's, with both channels unless told otherwise. */
export function testConfigFile(
  notifications: Record<string, unknown> = defaultNotifications(),
  metadataTable = 'local-project.bqx_history.export_metadata',
): Record<string, unknown> {
  return {
    exports: [
      {
        name: 'shopify_customers',
        source_table: 'prod_staging.shopify_customerdata',
        destination_filename: 'SHOPIFYCUSTOMERDATA_{datetime}.csv',
        timestamp_column: 'last_updated_at',
        incremental: true,
        columns: ['id', 'last_updated_at'],
      },
    ],
    sftp: { path: '/To_Verite', port: 22 },
    metadata_table: metadataTable,
    notifications,
  };
}

/** `testConfigFile` validated, as the `default` config. */
export function testConfig(notifications: Record<string, unknown> = defaultNotifications()): ExportConfig {
  return validateExportConfig(testConfigFile(notifications), 'default');
}

export function defaultNotifications(): Record<string, unknown> {
  return {
    email: {
      to: ['ops@example.com'],
      from: 'bqx@example.com',
      smtp_host: 'smtp.example.com',
      username: 'mailer',
    },
    slack: {},
  };
}

export function testEnvironment(values: Record<string, string> = {}): Environment {
  return parseEnvironment({ EMAIL_PASSWORD: SMTP_PASSWORD, SLACK_WEBHOOK_URL: SLACK_URL, ...values });
}

export class FakeConfigs implements ExportConfigs {
  constructor(
    public config: ExportConfig = testConfig(),
    public environment: Environment = testEnvironment(),
  ) {}

  get(configName: string): Promise<ExportConfig> {
    if (configName !== this.config.name) return Promise.reject(new Error(`no config ${configName}`));
    return Promise.resolve(this.config);
  }

  notificationSecrets(config: ExportConfig): NotificationSecrets {
    return resolveNotificationSecrets(config, this.environment);
  }

  fallbackSlackWebhook(): Secret | undefined {
    return this.environment.secrets.get(FALLBACK_SLACK_WEBHOOK_ENV);
  }
}

export class RecordingHistory implements HistoryWriter {
  readonly appends: { table: string; rows: readonly HistoryRow[] }[] = [];
  failWith: Error | undefined;

  append(metadataTable: string, rows: readonly HistoryRow[]): Promise<void> {
    if (this.failWith !== undefined) return Promise.reject(this.failWith);
    this.appends.push({ table: metadataTable, rows });
    return Promise.resolve();
  }

  get rows(): HistoryRow[] {
    return this.appends.flatMap((append) => append.rows);
  }
}

export class RecordingEmail implements EmailSender {
  readonly sent: { email: EmailContent; target: EmailTarget }[] = [];
  failures: Error[] = [];

  send(email: EmailContent, target: EmailTarget): Promise<void> {
    const failure = this.failures.shift();
    if (failure !== undefined) return Promise.reject(failure);
    this.sent.push({ email, target });
    return Promise.resolve();
  }
}

export class RecordingSlack implements SlackSender {
  readonly posted: { message: SlackContent; webhookUrl: Secret }[] = [];
  failures: Error[] = [];

  post(message: SlackContent, webhookUrl: Secret): Promise<void> {
    const failure = this.failures.shift();
    if (failure !== undefined) return Promise.reject(failure);
    this.posted.push({ message, webhookUrl });
    return Promise.resolve();
  }
}

export class FixedClock implements Clock {
  constructor(public time = new Date('2026-11-26T06:00:00Z')) {}
  now(): Date {
    return this.time;
  }
}
