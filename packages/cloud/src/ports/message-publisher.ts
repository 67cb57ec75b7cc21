import type { ServiceIdentifier } from 'inversify';

export interface OutgoingMessage {
  readonly data: Buffer;
  readonly attributes: Readonly<Record<string, string>>;
  readonly orderingKey?: string;
}

/** Publishes already-encoded messages to a topic; resolves with the server's message id. */
export interface MessagePublisher {
  publish(topic: string, message: OutgoingMessage): Promise<string>;
  /** Sends whatever is batched and releases the clients. */
  close(): Promise<void>;
}

export const MessagePublisher: ServiceIdentifier<MessagePublisher> = Symbol.for(
  'bq-sftp-export.MessagePublisher',
);
