import type { GoogleClientOptions, GoogleClients } from '@bq-sftp-export/cloud';
import { createGoogleClients } from '@bq-sftp-export/cloud';

/**
 * The Google clients for the endpoints an environment names (`GOOGLE_CLOUD_PROJECT`,
 * `PUBSUB_EMULATOR_HOST`, `STORAGE_EMULATOR_HOST`, `BIGQUERY_EMULATOR_HOST`; empty = unset):
 * auth-free against emulators, Application Default Credentials otherwise.
 */
export function googleClientsFromEnv(env: Readonly<Record<string, string | undefined>>): GoogleClients {
  const options: { -readonly [K in keyof GoogleClientOptions]: string } = {};
  const set = (key: keyof GoogleClientOptions, name: string): void => {
    const value = env[name];
    if (value !== undefined && value !== '') options[key] = value;
  };
  set('projectId', 'GOOGLE_CLOUD_PROJECT');
  set('pubsubEmulatorHost', 'PUBSUB_EMULATOR_HOST');
  set('storageEmulatorHost', 'STORAGE_EMULATOR_HOST');
  set('bigqueryEmulatorHost', 'BIGQUERY_EMULATOR_HOST');
  return createGoogleClients(options);
}
