import type { ExportConfig, NotificationSecrets } from '@bq-sftp-export/config';
import type { ServiceIdentifier } from 'inversify';

/** The export configs by name, as events name them (`configName`). */
export interface ExportConfigs {
  /** Throws `CONFIG_NOT_FOUND` / `CONFIG_INVALID` (not retryable). */
  get(configName: string): Promise<ExportConfig>;
  /** The secrets of the config's notification channels; throws `SECRETS_MISSING`. */
  notificationSecrets(config: ExportConfig): NotificationSecrets;
}

export const ExportConfigs: ServiceIdentifier<ExportConfigs> = Symbol('ExportConfigs');
