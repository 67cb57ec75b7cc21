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

/** Polls until `check` returns a value (not undefined), or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => T | undefined, timeoutMs = 30_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

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
