import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { Stoppable } from '../lifecycle/shutdown-controller.js';
import { answerHealth } from './health.js';
import { closeServer, listen } from './http-server-lifecycle.js';

export interface HealthServerOptions {
  /** Default 8080 (Cloud Run's `PORT`); 0 picks a free port. */
  readonly port?: number;
  readonly host?: string;
  /** True while the service should receive traffic, e.g. `() => !shutdown.isShuttingDown`. */
  readonly isHealthy: () => boolean;
}

/** A small HTTP server answering only `GET /healthz`, for pull workers (which have no push server). */
export class HealthServer implements Stoppable {
  readonly #server: Server;
  readonly #options: HealthServerOptions;

  constructor(options: HealthServerOptions) {
    this.#options = options;
    this.#server = createServer((request, response) => {
      if (!answerHealth(request, response, options.isHealthy())) {
        response.writeHead(404).end();
      }
    });
  }

  /** Resolves with the bound port. */
  start(): Promise<number> {
    return listen(this.#server, this.#options.port ?? 8080, this.#options.host);
  }

  stop(): Promise<void> {
    return closeServer(this.#server);
  }
}
