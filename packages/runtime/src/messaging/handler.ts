import type { Logger } from '../logging/logger.js';

export type MessageAttributes = Readonly<Record<string, string>>;

/** What a handler learns about the delivery besides the decoded message. */
export interface MessageContext {
  readonly messageId: string;
  readonly attributes: MessageAttributes;
  /** 1 for the first delivery; 0 when Pub/Sub does not report it (no dead-letter policy). */
  readonly deliveryAttempt: number;
  readonly publishTime: Date;
  /** Aborted when the service shuts down; long work should stop and throw (the message is then nacked). */
  readonly signal: AbortSignal;
  /** Bound to this delivery (`subscription`, `messageId`, `deliveryAttempt`). */
  readonly logger: Logger;
}

/**
 * How a delivery ended: `ack` (done, durably), `retry` (a retryable failure: nack, Pub/Sub
 * redelivers with backoff) or `deadLetter` (malformed or permanently failing: published to the
 * dead-letter topic with the reason, then acked).
 */
export type HandlerOutcome =
  | { readonly kind: 'ack' }
  | { readonly kind: 'retry'; readonly reason: string }
  | { readonly kind: 'deadLetter'; readonly code: string; readonly reason: string };

export const Outcome = {
  ack: (): HandlerOutcome => ({ kind: 'ack' }),
  retry: (reason: string): HandlerOutcome => ({ kind: 'retry', reason }),
  deadLetter: (code: string, reason: string): HandlerOutcome => ({ kind: 'deadLetter', code, reason }),
} as const;

/**
 * Handles one decoded message. Thrown errors are classified with `isRetryable`: a retryable
 * (or unknown) error nacks, a non-retryable `AppError` dead-letters with its code.
 */
export type MessageHandler<T> = (message: T, context: MessageContext) => Promise<HandlerOutcome>;

/**
 * Turns the raw payload into a typed message. Throws for malformed input; the message is then
 * dead-lettered, unless the error is an `AppError` marked retryable.
 */
export type MessageDecoder<T> = (data: Buffer, attributes: MessageAttributes) => T;
