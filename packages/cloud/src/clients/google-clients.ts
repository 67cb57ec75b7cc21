import { BigQuery } from '@google-cloud/bigquery';
import type { BigQueryOptions } from '@google-cloud/bigquery';
import { PubSub } from '@google-cloud/pubsub';
import type { ClientConfig } from '@google-cloud/pubsub';
import { Storage } from '@google-cloud/storage';
import type { StorageOptions } from '@google-cloud/storage';
import { PassThroughClient } from 'google-auth-library';

export interface GoogleClientOptions {
  /** The Google Cloud project. Production finds it through ADC when absent; local mode uses `LOCAL_PROJECT_ID`. */
  readonly projectId?: string;
  /** `host:port` of a local Pub/Sub (the `PUBSUB_EMULATOR_HOST` convention). */
  readonly pubsubEmulatorHost?: string;
  /** `host:port` or `http://host:port` of a local Cloud Storage JSON API. */
  readonly storageEmulatorHost?: string;
  /** `host:port` or `http://host:port` of a local BigQuery REST API. */
  readonly bigqueryEmulatorHost?: string;
}

export interface GoogleClients {
  readonly pubsub: PubSub;
  readonly storage: Storage;
  readonly bigquery: BigQuery;
}

/** The project the clients use in local mode when none is given. */
export const LOCAL_PROJECT_ID = 'local-project';

/**
 * The three Google clients. A client whose emulator host is set talks to that host without any
 * Google auth and without metadata-server lookups (its project id comes from the options); the
 * others use Application Default Credentials, as in production. See the package README.
 */
export function createGoogleClients(options: GoogleClientOptions = {}): GoogleClients {
  return {
    pubsub: new PubSub(pubsubOptions(options)),
    storage: new Storage(storageOptions(options)),
    bigquery: createBigQuery(options),
  };
}

function pubsubOptions(options: GoogleClientOptions): ClientConfig {
  const host = options.pubsubEmulatorHost;
  if (host === undefined) return withProject(options.projectId);
  // A non-googleapis.com endpoint with emulatorMode: insecure channel, no token is ever fetched.
  // The explicit universe domain keeps gax from asking Application Default Credentials for one,
  // which without GOOGLE_APPLICATION_CREDENTIALS would probe the metadata server.
  return {
    apiEndpoint: host,
    emulatorMode: true,
    projectId: options.projectId ?? LOCAL_PROJECT_ID,
    universeDomain: 'googleapis.com',
  };
}

function storageOptions(options: GoogleClientOptions): StorageOptions {
  const host = options.storageEmulatorHost;
  if (host === undefined) return withProject(options.projectId);
  // A custom apiEndpoint sets the client's customEndpoint flag: requests and resumable uploads
  // skip google-auth-library unless useAuthWithCustomEndpoint is true.
  return {
    apiEndpoint: httpUrl(host),
    useAuthWithCustomEndpoint: false,
    projectId: options.projectId ?? LOCAL_PROJECT_ID,
  };
}

function createBigQuery(options: GoogleClientOptions): BigQuery {
  const host = options.bigqueryEmulatorHost;
  if (host === undefined) return new BigQuery(withProject(options.projectId));
  const apiEndpoint = httpUrl(host);
  const bigqueryOptions: BigQueryOptions = {
    apiEndpoint,
    projectId: options.projectId ?? LOCAL_PROJECT_ID,
    // BigQuery v9 has no custom-endpoint auth bypass: every request asks its auth client for
    // headers. A pass-through client answers with none, so no credentials or metadata server.
    authClient: new PassThroughClient(),
  };
  const bigquery = new BigQuery(bigqueryOptions);
  // With BIGQUERY_EMULATOR_HOST in the environment the client would use that value verbatim as
  // its base URL (no scheme added, no /bigquery/v2); keep the standard REST paths either way.
  bigquery.baseUrl = `${apiEndpoint}/bigquery/v2`;
  return bigquery;
}

function withProject(projectId: string | undefined): { projectId?: string } {
  return projectId === undefined ? {} : { projectId };
}

/** `host:port` becomes `http://host:port` (the clients would otherwise assume https). */
function httpUrl(host: string): string {
  const url = /^[a-z][a-z0-9+.-]*:\/\//i.test(host) ? host : `http://${host}`;
  return url.replace(/\/+$/, '');
}
