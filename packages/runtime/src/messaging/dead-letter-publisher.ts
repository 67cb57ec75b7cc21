import type { ServiceIdentifier } from 'inversify';

export interface DeadLetterMessage {
  /** The original payload, unchanged. */
  readonly data: Buffer;
  /** The original attributes plus the `DeadLetterAttribute` ones. */
  readonly attributes: Readonly<Record<string, string>>;
}

/** Publishes to the subscription's dead-letter topic; resolves only once the publish is durable. */
export interface DeadLetterPublisher {
  publish(message: DeadLetterMessage): Promise<void>;
}

export const DeadLetterPublisher: ServiceIdentifier<DeadLetterPublisher> = Symbol('DeadLetterPublisher');

/** Attributes the runtime adds to a dead-lettered message. */
export const DeadLetterAttribute = {
  reason: 'deadLetterReason',
  code: 'deadLetterCode',
  sourceSubscription: 'sourceSubscription',
  sourceMessageId: 'sourceMessageId',
} as const;
