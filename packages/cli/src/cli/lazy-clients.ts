import type { GoogleClients } from '@bq-sftp-export/cloud';
import { googleClientsFromEnv } from '@bq-sftp-export/local-cloud';

/**
 * The Google clients for the environment's endpoints (emulator hosts, or real GCP with
 * Application Default Credentials), made on first use and closed when the command ends.
 */
export class LazyClients {
  #clients: GoogleClients | undefined;

  constructor(private readonly env: Readonly<Record<string, string | undefined>>) {}

  get(): GoogleClients {
    this.#clients ??= googleClientsFromEnv(this.env);
    return this.#clients;
  }

  async close(): Promise<void> {
    await this.#clients?.pubsub.close();
    this.#clients = undefined;
  }
}
