import { AppError, isAppError } from '@bq-sftp-export/runtime';

import type { Environment } from '../env/environment.js';
import type { ExportConfig } from '../resolve/export-config.js';
import type { ConfigSource } from '../source/config-source.js';
import { loadExportConfig } from '../source/load-config.js';
import { resolveNotificationSecrets, resolveSftpConnection, SECRETS_MISSING } from './resolve-secrets.js';

/** Which secrets a service needs: the uploader its destinations', tracker-notifier its channels'. */
export type SecretsScope = 'sftp' | 'notifications';

/** What the start-up check looked at. */
export interface ConfigSecretsCheck {
  /** Configs whose secrets are all set. */
  readonly checked: readonly string[];
  /** Configs that did not validate: left to be refused when a request names them. */
  readonly invalid: readonly string[];
  /** False when the source cannot list its configs (`gs://`): nothing was checked. */
  readonly listed: boolean;
}

function missingIn(config: ExportConfig, environment: Environment, scope: SecretsScope): string[] {
  const attempts: (() => unknown)[] =
    scope === 'notifications'
      ? [() => resolveNotificationSecrets(config, environment)]
      : [...new Set(config.exports.map((entry) => entry.destination))].map(
          (destination) => () => resolveSftpConnection(config, destination, environment),
        );
  return attempts.flatMap((attempt) => {
    try {
      attempt();
      return [];
    } catch (error) {
      if (isAppError(error) && error.code === SECRETS_MISSING)
        return [`config "${config.name}": ${error.message}`];
      throw error;
    }
  });
}

/**
 * The start-up check: every config the source lists gets the secrets `scope` needs from the
 * environment, so a missing variable stops the service at start (`SECRETS_MISSING`, naming each
 * config, destination or channel and variable, never a value) instead of failing every message.
 * Configs that do not validate are skipped (a request naming one is refused with CONFIG_INVALID).
 */
export async function checkConfigSecrets(
  source: ConfigSource,
  environment: Environment,
  scope: SecretsScope,
): Promise<ConfigSecretsCheck> {
  if (source.names === undefined) return { checked: [], invalid: [], listed: false };
  const checked: string[] = [];
  const invalid: string[] = [];
  const missing: string[] = [];
  for (const name of await source.names()) {
    let config: ExportConfig;
    try {
      config = await loadExportConfig(source, name);
    } catch (error) {
      if (isAppError(error) && !error.retryable) {
        invalid.push(name);
        continue;
      }
      throw error;
    }
    const problems = missingIn(config, environment, scope);
    if (problems.length === 0) checked.push(name);
    missing.push(...problems);
  }
  if (missing.length > 0) {
    throw new AppError(`secrets missing from the environment: ${missing.join('; ')}`, {
      code: SECRETS_MISSING,
      retryable: false,
    });
  }
  return { checked, invalid, listed: true };
}
