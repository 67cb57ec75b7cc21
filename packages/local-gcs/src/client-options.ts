/**
 * The `@google-cloud/storage` options (a subset of its `StorageOptions`) that point the
 * unmodified client at a local server with no Google authentication at all.
 */
export interface LocalGcsClientOptions {
  readonly apiEndpoint: string;
  readonly projectId: string;
  readonly useAuthWithCustomEndpoint: false;
}

/**
 * Offline options for `new Storage(clientOptions(endpoint))`:
 * - `apiEndpoint` on a host that is not a Google domain makes the client send requests (JSON
 *   calls and resumable uploads alike) without asking `google-auth-library` for a token;
 * - `useAuthWithCustomEndpoint: false` states that explicitly (it is also the default);
 * - `projectId` is given, so the client never asks the auth library (and through it the
 *   metadata server) which project it runs in.
 */
export function clientOptions(endpoint: string, projectId = 'local-project'): LocalGcsClientOptions {
  return { apiEndpoint: endpoint, projectId, useAuthWithCustomEndpoint: false };
}
