import { loadExportConfig, resolveNotificationSecrets } from '@bq-sftp-export/config';
import type {
  ConfigSource,
  Environment,
  ExportConfig,
  NotificationSecrets,
  Secret,
} from '@bq-sftp-export/config';

import { FALLBACK_SLACK_WEBHOOK_ENV } from '../application/ports/export-configs.js';
import type { ExportConfigs } from '../application/ports/export-configs.js';

/**
 * Export configs read from `CONFIG_SOURCE` by name and kept for `ttlMs`, so a config edited in
 * the bucket is picked up without a restart. A failed read is not cached.
 */
export class SourceExportConfigs implements ExportConfigs {
  private readonly cache = new Map<
    string,
    { readonly config: Promise<ExportConfig>; readonly until: number }
  >();

  constructor(
    private readonly source: ConfigSource,
    private readonly environment: Environment,
    private readonly options: { readonly ttlMs: number; readonly now: () => number } = {
      ttlMs: 60_000,
      now: Date.now,
    },
  ) {}

  get(configName: string): Promise<ExportConfig> {
    const now = this.options.now();
    const cached = this.cache.get(configName);
    if (cached !== undefined && cached.until > now) return cached.config;
    const config = loadExportConfig(this.source, configName);
    this.cache.set(configName, { config, until: now + this.options.ttlMs });
    config.catch(() => this.cache.delete(configName));
    return config;
  }

  notificationSecrets(config: ExportConfig): NotificationSecrets {
    return resolveNotificationSecrets(config, this.environment);
  }

  fallbackSlackWebhook(): Secret | undefined {
    return this.environment.secrets.get(FALLBACK_SLACK_WEBHOOK_ENV);
  }
}
