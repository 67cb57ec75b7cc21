import { Duration } from '@google-cloud/pubsub';
import type { SubscriberOptions } from '@google-cloud/pubsub';
import { AppError } from '../../errors/app-error.js';

export interface PullSettings {
  /** Messages handled at once by this worker (flow control). Default 1: exports are long and heavy. */
  readonly maxMessages?: number;
  /**
   * Longest single lease the client asks for, in seconds (≤ 60). The client extends leases in
   * steps of at most this, so a crashed worker's message returns within about this long. Default 60.
   */
  readonly maxAckDeadlineSeconds?: number;
  /**
   * Shortest lease the client asks for, in seconds. Default 10, Pub/Sub's minimum; only a local
   * test server started with a lower minimum (local-pubsub's `minDeadlineSeconds`) accepts less.
   */
  readonly minAckDeadlineSeconds?: number;
  /** How long one message's lease may be extended in total, in minutes (long work). Default 60. */
  readonly maxExtensionMinutes?: number;
  /** How long the client's own close may wait for in-flight work, in ms. Default 10 s. */
  readonly closeTimeoutMs?: number;
}

const maxAllowedAckDeadlineSeconds = 60;

/**
 * The `@google-cloud/pubsub` v6 subscriber options for a worker: strict flow control (no excess
 * messages held), short ack deadlines with lease extension for long work, and a close that waits
 * for in-flight work instead of nacking it at once (the runtime nacks unfinished work itself).
 */
export function pullSubscriberOptions(settings: PullSettings = {}): SubscriberOptions {
  const maxMessages = settings.maxMessages ?? 1;
  const maxAckDeadlineSeconds = settings.maxAckDeadlineSeconds ?? maxAllowedAckDeadlineSeconds;
  const minAckDeadlineSeconds = settings.minAckDeadlineSeconds ?? 10;
  const maxExtensionMinutes = settings.maxExtensionMinutes ?? 60;
  if (!Number.isInteger(maxMessages) || maxMessages < 1) {
    throw invalid('maxMessages', 'a whole number of at least 1', maxMessages);
  }
  if (!(minAckDeadlineSeconds >= 1 && minAckDeadlineSeconds <= 10)) {
    throw invalid('minAckDeadlineSeconds', 'between 1 and 10 seconds', minAckDeadlineSeconds);
  }
  if (!(
    maxAckDeadlineSeconds >= minAckDeadlineSeconds && maxAckDeadlineSeconds <= maxAllowedAckDeadlineSeconds
  )) {
    throw invalid(
      'maxAckDeadlineSeconds',
      `between ${minAckDeadlineSeconds} and 60 seconds`,
      maxAckDeadlineSeconds,
    );
  }
  if (!(maxExtensionMinutes > 0)) throw invalid('maxExtensionMinutes', 'more than 0', maxExtensionMinutes);
  return {
    flowControl: { maxMessages, allowExcessMessages: false },
    minAckDeadline: Duration.from({ seconds: minAckDeadlineSeconds }),
    maxAckDeadline: Duration.from({ seconds: maxAckDeadlineSeconds }),
    maxExtensionTime: Duration.from({ minutes: maxExtensionMinutes }),
    closeOptions: {
      behavior: 'WAIT',
      timeout: Duration.from({ milliseconds: settings.closeTimeoutMs ?? 10_000 }),
    },
  };
}

function invalid(field: string, expected: string, actual: number): AppError {
  return new AppError(`pull setting ${field} must be ${expected}, got ${actual}`, {
    code: 'PULL_SETTINGS_INVALID',
    retryable: false,
    details: { field, actual },
  });
}
