/** How a subscription redelivers: derived from its ackDeadlineSeconds, retryPolicy and deadLetterPolicy. */
export interface DeliveryPolicy {
  readonly ackDeadlineMs: number;
  readonly retry: BackoffRange | undefined;
  readonly deadLetter: DeadLetterTarget | undefined;
  readonly ordered: boolean;
}

export interface BackoffRange {
  readonly minMs: number;
  readonly maxMs: number;
}

export interface DeadLetterTarget {
  readonly topic: string;
  readonly maxDeliveryAttempts: number;
}

/** Exponential backoff: min, 2·min, 4·min … capped at max, for the n-th consecutive failure (n ≥ 1). */
export function backoffMs(range: BackoffRange, failures: number): number {
  const exponent = Math.min(Math.max(failures - 1, 0), 30);
  return Math.min(range.maxMs, range.minMs * 2 ** exponent);
}
