import type { ExportConfig, NotificationSecrets, Secret } from '@bq-sftp-export/config';
import type { ServiceIdentifier } from 'inversify';

/** The export configs by name, as events name them (`configName`). */
export interface ExportConfigs {
  /** Throws `CONFIG_NOT_FOUND` / `CONFIG_INVALID` (not retryable). */
  get(configName: string): Promise<ExportConfig>;
  /** The secrets of the config's notification channels; throws `SECRETS_MISSING`. */
  notificationSecrets(config: ExportConfig): NotificationSecrets;
  /** The global fallback Slack webhook (`ALERT_FALLBACK_SLACK_WEBHOOK_URL`), for configs that cannot be read. */
  fallbackSlackWebhook(): Secret | undefined;
}

/** The variable naming the Slack webhook that config refusals go to when the config is unreadable. */
export const FALLBACK_SLACK_WEBHOOK_ENV = 'ALERT_FALLBACK_SLACK_WEBHOOK_URL';

export const ExportConfigs: ServiceIdentifier<ExportConfigs> = Symbol('ExportConfigs');
