import { MAX_DELIVERY_ATTEMPTS } from '@bq-sftp-export/contracts';
import type { ErrorInfo } from '@bq-sftp-export/contracts';

/**
 * Whether a failed step fails for good: its error is not retryable, or it was the last delivery
 * attempt Pub/Sub makes before dead-lettering the message. (The contracts carry no explicit
 * "final" flag; `attempt` is the delivery attempt the producer saw.)
 */
export function isFinalFailure(failure: {
  readonly error: ErrorInfo;
  readonly attempt?: number | undefined;
}): boolean {
  return !failure.error.retryable || (failure.attempt ?? 0) >= MAX_DELIVERY_ATTEMPTS;
}
