/** What a failed delivery attempt leads to. */
export type FailureVerdict =
  /** Nack: Pub/Sub redelivers with backoff. */
  | 'retry'
  /** Nack on the last attempt: Pub/Sub dead-letters it; the failure is reported as final. */
  | 'final-attempt'
  /** Dead-letter now: trying again cannot help. */
  | 'permanent';

/** Errors that their source marks retryable but that cannot heal for a given `file.ready`. */
const permanentCodes = new Set([
  // The staged object is pinned to one generation: reading it again yields the same bytes.
  'SFTP_SOURCE_SIZE_MISMATCH',
  'SFTP_SOURCE_CHECKSUM_MISMATCH',
]);

/**
 * Classifies a failed attempt from the error's stable code and retryable flag (see the
 * README's table): permanent failures dead-letter at once; retryable ones are retried until the
 * subscription's last delivery attempt.
 */
export function classifyUploadFailure(
  error: { readonly code: string; readonly retryable: boolean },
  attempt: number,
  maxDeliveryAttempts: number,
): FailureVerdict {
  if (!error.retryable || permanentCodes.has(error.code)) return 'permanent';
  return attempt >= maxDeliveryAttempts ? 'final-attempt' : 'retry';
}
