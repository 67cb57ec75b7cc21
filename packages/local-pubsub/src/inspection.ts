import type { StoredMessage } from './model/stored-message.js';
import type { PubSubState } from './state/pubsub-state.js';

/** A message as the inspection helpers show it. */
export interface InspectedMessage {
  readonly id: string;
  readonly data: Buffer;
  readonly attributes: Readonly<Record<string, string>>;
  readonly orderingKey: string;
  readonly publishTime: Date;
}

/** A message a subscription has not had acknowledged yet. */
export interface OutstandingMessage extends InspectedMessage {
  /** Deliveries so far. */
  readonly deliveryAttempts: number;
  /** Leased to a subscriber right now (otherwise waiting, possibly in retry backoff). */
  readonly leased: boolean;
}

/**
 * Read-only views for tests. Names are full resource names (`projects/p/topics/t`) or bare ids
 * (`t`) when only one project uses that id.
 */
export interface Inspection {
  /** Every message published to the topic (dead-letter forwards included), oldest first. */
  published(topic: string): InspectedMessage[];
  /** Messages the subscription still has to get acknowledged, in publish order. */
  outstanding(subscription: string): OutstandingMessage[];
  /** The original messages the subscription forwarded to its dead-letter topic. */
  deadLettered(subscription: string): InspectedMessage[];
  topics(): string[];
  subscriptions(): string[];
}

export function inspection(state: PubSubState): Inspection {
  const resolve = (names: string[], kind: string, nameOrId: string): string =>
    nameOrId.startsWith('projects/')
      ? nameOrId
      : (names.find((name) => name.endsWith(`/${kind}/${nameOrId}`)) ?? nameOrId);
  const subscription = (nameOrId: string) =>
    state.findSubscription(resolve(state.subscriptionNames(), 'subscriptions', nameOrId));
  return {
    published: (topic) => state.publishedTo(resolve(state.topicNames(), 'topics', topic)).map(inspect),
    outstanding: (name) =>
      (subscription(name)?.queue.entries() ?? []).map((entry) => ({
        ...inspect(entry.message),
        deliveryAttempts: entry.attempts,
        leased: entry.lease !== undefined,
      })),
    deadLettered: (name) => (subscription(name)?.deadLettered ?? []).map(inspect),
    topics: () => state.topicNames(),
    subscriptions: () => state.subscriptionNames(),
  };
}

function inspect(message: StoredMessage): InspectedMessage {
  return {
    id: message.messageId,
    data: message.data,
    attributes: message.attributes,
    orderingKey: message.orderingKey,
    publishTime: new Date(message.publishTime),
  };
}
