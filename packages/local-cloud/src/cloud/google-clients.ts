import { BigQuery } from '@google-cloud/bigquery';
import { PubSub } from '@google-cloud/pubsub';
import { Storage } from '@google-cloud/storage';
import { PassThroughClient } from 'google-auth-library';

/**
 * Where the three Google clients point. An emulator host set: that client talks to it without
 * any Google auth; unset: Application Default Credentials, as in production.
 *
 * Interim: the same shape as `createGoogleClients` that is being added to `@bq-sftp-export/cloud`;
 * switch to that one once it is on main.
 */
export interface GoogleClientOptions {
  readonly projectId?: string;
  /** `host:port` */
  readonly pubsubEmulatorHost?: string;
  /** `host:port` or `http://host:port` */
  readonly storageEmulatorHost?: string;
  /** `host:port` or `http://host:port` */
  readonly bigqueryEmulatorHost?: string;
}

export interface GoogleClients {
  readonly pubsub: PubSub;
  readonly storage: Storage;
  readonly bigquery: BigQuery;
}

export const LOCAL_PROJECT_ID = 'local-project';

const httpUrl = (host: string): string =>
  (/^[a-z][a-z0-9+.-]*:\/\//i.test(host) ? host : `http://${host}`).replace(/\/+$/, '');

const project = (projectId: string | undefined): { projectId?: string } =>
  projectId === undefined ? {} : { projectId };

/** The Pub/Sub, Cloud Storage and BigQuery clients for the given endpoints. */
export function createGoogleClients(options: GoogleClientOptions = {}): GoogleClients {
  const localProject = options.projectId ?? LOCAL_PROJECT_ID;
  const pubsub =
    options.pubsubEmulatorHost === undefined
      ? new PubSub(project(options.projectId))
      : new PubSub({
          apiEndpoint: options.pubsubEmulatorHost,
          emulatorMode: true,
          projectId: localProject,
          // Stated, so gax's universe check does not ask ADC, which probes the metadata server.
          universeDomain: 'googleapis.com',
        });
  const storage =
    options.storageEmulatorHost === undefined
      ? new Storage(project(options.projectId))
      : new Storage({
          apiEndpoint: httpUrl(options.storageEmulatorHost),
          useAuthWithCustomEndpoint: false,
          projectId: localProject,
        });
  let bigquery: BigQuery;
  if (options.bigqueryEmulatorHost === undefined) {
    bigquery = new BigQuery(project(options.projectId));
  } else {
    const apiEndpoint = httpUrl(options.bigqueryEmulatorHost);
    bigquery = new BigQuery({ apiEndpoint, projectId: localProject, authClient: new PassThroughClient() });
    // With BIGQUERY_EMULATOR_HOST in the environment the client would take it verbatim as its base URL.
    bigquery.baseUrl = `${apiEndpoint}/bigquery/v2`;
  }
  return { pubsub, storage, bigquery };
}

/** The clients for the emulator hosts and project in an environment (`PUBSUB_EMULATOR_HOST`, …). */
export function googleClientsFromEnv(env: Readonly<Record<string, string | undefined>>): GoogleClients {
  const value = (name: string): string | undefined => (env[name] === '' ? undefined : env[name]);
  const options: Record<string, string> = {};
  const set = (key: keyof GoogleClientOptions, name: string): void => {
    const found = value(name);
    if (found !== undefined) options[key] = found;
  };
  set('projectId', 'GOOGLE_CLOUD_PROJECT');
  set('pubsubEmulatorHost', 'PUBSUB_EMULATOR_HOST');
  set('storageEmulatorHost', 'STORAGE_EMULATOR_HOST');
  set('bigqueryEmulatorHost', 'BIGQUERY_EMULATOR_HOST');
  return createGoogleClients(options);
}
