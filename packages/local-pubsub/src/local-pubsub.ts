import { Server, ServerCredentials } from '@grpc/grpc-js';
import { systemClock, type Clock } from './clock/clock.js';
import { loadPubSubProto } from './grpc/load-pubsub-proto.js';
import { publisherService } from './grpc/publisher.service.js';
import { subscriberService } from './grpc/subscriber.service.js';
import { PublishFaults, type PublishFaultOptions } from './state/publish-faults.js';
import { PubSubState } from './state/pubsub-state.js';
import { inspection, type Inspection } from './inspection.js';
import type { IdTokenIssuer } from './push/id-token-issuer.js';

export interface LocalPubSubOptions {
  /** TCP port; 0 (the default) picks a free one. */
  readonly port?: number;
  /** Interface to listen on; default 127.0.0.1 (loopback only). */
  readonly host?: string;
  /** Time source for deadlines, backoffs and publish times; default real time. */
  readonly clock?: Clock;
  /**
   * Smallest ack deadline accepted for subscriptions and StreamingPull streams. The real service
   * insists on 10 s; tests lower it (e.g. 1) so deadline expiry takes a second, not ten.
   */
  readonly minDeadlineSeconds?: number;
  /**
   * Signs an OIDC token for push subscriptions with `oidcToken` (sent as `Authorization: Bearer`),
   * as the real service does; verifiers accept it when pointed at `pushTokens.serveCertificates()`.
   * Without it no token is sent.
   */
  readonly pushTokens?: IdTokenIssuer;
}

export interface LocalPubSub extends Inspection {
  /** `127.0.0.1:PORT`, for the client's `apiEndpoint`. */
  readonly host: string;
  readonly port: number;
  /** The value for PUBSUB_EMULATOR_HOST. */
  readonly emulatorHost: string;
  /** Deletes every topic, subscription, message and armed fault; the server keeps running. */
  reset(): void;
  /**
   * Fault control: the next `count` Publish calls to `topic` (full name or bare id) fail with
   * UNAVAILABLE, storing nothing or, with `afterStoring`, storing the messages first (a lost
   * response). The client library retries UNAVAILABLE on its own.
   */
  failPublishes(topic: string, count: number, options?: PublishFaultOptions): void;
  /** Ends all streams, stops push delivery and timers, and closes the port. */
  stop(): Promise<void>;
}

/** Starts the embedded Pub/Sub server (gRPC google.pubsub.v1 Publisher and Subscriber). */
export async function startLocalPubSub(options: LocalPubSubOptions = {}): Promise<LocalPubSub> {
  const listenHost = options.host ?? '127.0.0.1';
  const state = new PubSubState(
    options.clock ?? systemClock,
    { minDeadlineSeconds: options.minDeadlineSeconds ?? 10 },
    options.pushTokens,
  );
  const protos = loadPubSubProto();
  // The real service takes publish requests of up to 10 MB (grpc-js would stop at 4 MB) and answers
  // a larger one INVALID_ARGUMENT (publish-limits.ts): read well past the limit to answer so.
  const server = new Server({ 'grpc.max_receive_message_length': 32 * 1024 * 1024 });
  const faults = new PublishFaults();
  server.addService(protos.publisher, publisherService(state, faults));
  server.addService(protos.subscriber, subscriberService(state));
  const bindHost = listenHost.includes(':') ? `[${listenHost}]` : listenHost;
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(
      `${bindHost}:${options.port ?? 0}`,
      ServerCredentials.createInsecure(),
      (error, bound) => (error ? reject(error) : resolve(bound)),
    );
  });
  const host = `${bindHost}:${port}`;
  let stopped: Promise<void> | undefined;
  return {
    host,
    port,
    emulatorHost: host,
    ...inspection(state),
    reset: () => {
      faults.clear();
      state.reset();
    },
    failPublishes: (topic, count, options) => faults.fail(topic, count, options),
    stop: () => {
      stopped ??= new Promise<void>((resolve) => {
        server.tryShutdown(() => resolve());
        // Streams the clients keep open would hold tryShutdown forever; cancel them.
        server.forceShutdown();
        state.reset(false);
      });
      return stopped;
    },
  };
}
