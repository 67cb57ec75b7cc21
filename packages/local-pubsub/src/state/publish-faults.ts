import { status } from '@grpc/grpc-js';

import { PubSubError } from '../model/pubsub-error.js';

/** How an injected publish failure looks to the publisher. */
export interface PublishFaultOptions {
  /**
   * Store the messages, then answer UNAVAILABLE anyway (the response was lost): the client's
   * retry publishes them again, as the real service can. Default false: nothing is stored.
   */
  readonly afterStoring?: boolean;
}

interface Armed {
  remaining: number;
  readonly afterStoring: boolean;
}

/** Publish failures armed per topic (a fault control for tests). */
export class PublishFaults {
  readonly #byTopic = new Map<string, Armed>();

  /** The next `count` Publish calls to `topic` (full name or bare id) fail with UNAVAILABLE. */
  fail(topic: string, count: number, options: PublishFaultOptions = {}): void {
    if (count <= 0) this.#byTopic.delete(topic);
    else this.#byTopic.set(topic, { remaining: count, afterStoring: options.afterStoring ?? false });
  }

  clear(): void {
    this.#byTopic.clear();
  }

  /** Runs one Publish to `topic`, failing it when a fault is armed for the topic. */
  publish<T>(topic: string | undefined, store: () => T): T {
    const key = [...this.#byTopic.keys()].find(
      (armed) => armed === topic || (topic ?? '').endsWith(`/topics/${armed}`),
    );
    const armed = key === undefined ? undefined : this.#byTopic.get(key);
    if (key === undefined || armed === undefined) return store();
    armed.remaining -= 1;
    if (armed.remaining <= 0) this.#byTopic.delete(key);
    if (armed.afterStoring) store();
    throw new PubSubError(
      status.UNAVAILABLE,
      'The service was unable to fulfill your request (injected fault).',
    );
  }
}
