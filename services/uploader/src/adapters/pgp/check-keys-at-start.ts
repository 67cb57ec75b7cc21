import { loadExportConfig, type ConfigSource, type SecretEnvironment } from '@bq-sftp-export/config';
import { checkPgpKeys, PGP_KEY_INVALID } from '@bq-sftp-export/pgp';
import { AppError } from '@bq-sftp-export/runtime';

/**
 * The start-up check of OpenPGP keys, after the secrets check: every listed config's keys must
 * be usable now, so a wrong, expired or locked key stops the service at start (`PGP_KEY_INVALID`,
 * naming each config and field, never key material) instead of failing each delivery. Returns
 * the configs checked. Deliveries check again (a key can expire while the service runs).
 */
export async function checkPgpKeysAtStart(
  source: ConfigSource,
  configNames: readonly string[],
  secrets: SecretEnvironment,
  now = new Date(),
): Promise<{ readonly configs: readonly string[] }> {
  const problems: string[] = [];
  for (const name of configNames) {
    const config = await loadExportConfig(source, name);
    const check = await checkPgpKeys(config, secrets, now);
    problems.push(
      ...check.problems.map((problem) => `config "${name}": ${problem.path}: ${problem.message}`),
    );
  }
  if (problems.length > 0) {
    throw new AppError(`OpenPGP keys unusable: ${problems.join('; ')}`, {
      code: PGP_KEY_INVALID,
      retryable: false,
    });
  }
  return { configs: configNames };
}
