import { loadExportConfig, type ConfigSource, type ExportConfig } from '@bq-sftp-export/config';
import type { Clock } from '@bq-sftp-export/runtime';
import type { ServiceIdentifier } from 'inversify';

/** The export configurations, by name. */
export interface ExportConfigProvider {
  /** Throws `CONFIG_NOT_FOUND` / `CONFIG_INVALID` (permanent) or a retryable error of the source. */
  get(name: string): Promise<ExportConfig>;
}

export const ExportConfigProvider: ServiceIdentifier<ExportConfigProvider> = Symbol('ExportConfigProvider');

/**
 * Loads configs from a source and keeps each for `ttlMs`, so a burst of files of one run reads
 * the config once while an edited config is picked up within a minute. Concurrent requests for
 * one name share the load; failures are not kept.
 */
export class CachedExportConfigProvider implements ExportConfigProvider {
  readonly #cache = new Map<string, { readonly config: Promise<ExportConfig>; readonly expiresAt: number }>();

  constructor(
    private readonly source: ConfigSource,
    private readonly clock: Clock,
    private readonly ttlMs = 60_000,
  ) {}

  get(name: string): Promise<ExportConfig> {
    const now = this.clock.now().getTime();
    const cached = this.#cache.get(name);
    if (cached !== undefined && cached.expiresAt > now) return cached.config;
    const config = loadExportConfig(this.source, name);
    const entry = { config, expiresAt: now + this.ttlMs };
    this.#cache.set(name, entry);
    config.catch(() => {
      if (this.#cache.get(name) === entry) this.#cache.delete(name);
    });
    return config;
  }
}
