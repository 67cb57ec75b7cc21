import { PubSub, type Message, type Subscription } from '@google-cloud/pubsub';
import { clientOptions } from '../client-options.js';
import { startLocalPubSub, type LocalPubSub, type LocalPubSubOptions } from '../local-pubsub.js';

export const PROJECT = 'test-project';

export interface Harness {
  readonly server: LocalPubSub;
  readonly pubsub: PubSub;
  close(): Promise<void>;
}

/** The server on a free port and an unmodified client pointed at it; short deadlines allowed. */
export async function startHarness(options: LocalPubSubOptions = {}): Promise<Harness> {
  const server = await startLocalPubSub({ minDeadlineSeconds: 1, ...options });
  const pubsub = new PubSub(clientOptions(server.host, PROJECT));
  return {
    server,
    pubsub,
    close: async () => {
      await pubsub.close();
      await server.stop();
    },
  };
}

/** How the conformance tests wait (`pollUntil(check, { describe, ...WAIT })`): 30 s, polled every 20 ms. */
export const WAIT = { timeoutMs: 30_000, intervalMs: 20 } as const;

/** Collects what a streaming subscriber receives; `handle` decides ack or nack (or nothing). */
export function collect(
  subscription: Subscription,
  handle: (message: Message) => void = (m) => m.ack(),
): Message[] {
  const received: Message[] = [];
  subscription.on('message', (message: Message) => {
    received.push(message);
    handle(message);
  });
  subscription.on('error', (error: Error) => {
    throw error;
  });
  return received;
}
