/** A message pulled from a dead-letter subscription, not yet acknowledged. */
export interface PulledDeadLetter {
  readonly ackId: string;
  readonly messageId: string;
  readonly data: Buffer;
  readonly attributes: Readonly<Record<string, string>>;
  readonly orderingKey?: string;
  readonly publishTime?: string;
}

/** The dead-letter subscription as replay sees it. */
export interface DeadLetterQueue {
  /** Up to `max` messages; an empty list when none is waiting. */
  pull(max: number): Promise<PulledDeadLetter[]>;
  /** Removes messages for good. */
  ack(ackIds: readonly string[]): Promise<void>;
  /** Makes messages available again at once (ack deadline 0). */
  release(ackIds: readonly string[]): Promise<void>;
  close(): Promise<void>;
}
