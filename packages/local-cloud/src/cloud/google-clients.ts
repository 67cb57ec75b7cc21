import { PubSub } from '@google-cloud/pubsub';

import type { GoogleClientOptions, GoogleClients } from '@bq-sftp-export/cloud';
import { createGoogleClients, LOCAL_PROJECT_ID } from '@bq-sftp-export/cloud';

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
  const clients = createGoogleClients(options);
  if (options.pubsubEmulatorHost === undefined) return clients;
  // Interim, until packages/cloud states it too: without an explicit universe domain, gax asks
  // ADC for one, and ADC without GOOGLE_APPLICATION_CREDENTIALS probes the metadata server.
  return {
    ...clients,
    pubsub: new PubSub({
      apiEndpoint: options.pubsubEmulatorHost,
      emulatorMode: true,
      projectId: options.projectId ?? LOCAL_PROJECT_ID,
      universeDomain: 'googleapis.com',
    }),
  };
}
