import type { MessageAttributes } from './handler.js';

/** A delivery as both transports see it, before decoding. */
export interface ReceivedMessage {
  readonly id: string;
  readonly data: Buffer;
  readonly attributes: MessageAttributes;
  readonly deliveryAttempt: number;
  readonly publishTime: Date;
}

/** What the transport does with the delivery: ack (2xx) or nack (non-2xx). */
export type Settlement = 'ack' | 'nack';

/** How processing ended, for logs and tests. */
export type ProcessingOutcome =
  | 'acked'
  | 'retried'
  | 'deadLettered'
  | 'deadLetterFailed'
  /** Unfinished when the shutdown budget ran out. */
  | 'abandoned'
  /** Arrived while shutting down; never started. */
  | 'refused';

export interface ProcessingResult {
  readonly settlement: Settlement;
  readonly outcome: ProcessingOutcome;
}
