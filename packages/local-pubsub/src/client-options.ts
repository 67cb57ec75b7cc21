/**
 * Options for `new PubSub(...)` against the local server. A non-googleapis.com `apiEndpoint` puts
 * the v6 client in emulator mode: insecure channel credentials (`grpc.credentials.createInsecure()`)
 * and no Google auth at all; `emulatorMode: true` says so explicitly.
 */
export interface LocalPubSubClientOptions {
  readonly apiEndpoint: string;
  readonly projectId: string;
  readonly emulatorMode: true;
}

export function clientOptions(host: string, projectId = 'local-project'): LocalPubSubClientOptions {
  return { apiEndpoint: host, projectId, emulatorMode: true };
}
