import { PassThroughClient } from 'google-auth-library';

/** Options for `new BigQuery(…)` of `@google-cloud/bigquery` that talk to the emulator only. */
export interface LocalClientOptions {
  readonly projectId: string;
  readonly apiEndpoint: string;
  /** Sends no credentials and never asks the metadata server or ADC for a token. */
  readonly authClient: PassThroughClient;
}

/**
 * Client options for the emulator: `new BigQuery(clientOptions(local.endpoint, local.projectId))`.
 * `apiEndpoint` makes the client call `<endpoint>/bigquery/v2/…`; the explicit `projectId` keeps
 * it from looking one up; `PassThroughClient` (google-auth-library) authorises requests with no
 * token at all, so no Google credential, ADC file or metadata-server request is involved.
 */
export function clientOptions(endpoint: string, projectId: string): LocalClientOptions {
  return { projectId, apiEndpoint: endpoint, authClient: new PassThroughClient() };
}
