import { MAX_DELIVERY_ATTEMPTS } from '@bq-sftp-export/contracts';
import type { ErrorInfo } from '@bq-sftp-export/contracts';

/**
 * Whether a failed step fails for good. The producer says so in `final`; for events published
 * before that field existed, it is inferred: the error is not retryable, or it was the last
 * delivery attempt Pub/Sub makes before dead-lettering the message (`attempt` is the delivery
 * attempt the producer saw).
 */
export function isFinalFailure(failure: {
  readonly error: ErrorInfo;
  readonly attempt?: number | undefined;
  readonly final?: boolean | undefined;
}): boolean {
  if (failure.final !== undefined) return failure.final;
  return !failure.error.retryable || (failure.attempt ?? 0) >= MAX_DELIVERY_ATTEMPTS;
}
