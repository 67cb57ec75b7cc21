import { durationToMs, msToProtoTime } from '../model/proto-time.js';
import type { FieldMaskProto, PushConfigProto, SubscriptionProto } from '../model/proto-types.js';
import { invalidArgument, unimplemented } from '../model/pubsub-error.js';
import { parseResourceName } from '../model/resource-names.js';
import type { DeliveryPolicy } from './delivery-policy.js';

const MAX_DEADLINE_SECONDS = 600;
const DEFAULT_ACK_DEADLINE_SECONDS = 10;
const DEFAULT_MAX_DELIVERY_ATTEMPTS = 5;
const DEFAULT_RETENTION_MS = 7 * 24 * 3600 * 1000;
const DEFAULT_MIN_BACKOFF_MS = 10_000;
const DEFAULT_MAX_BACKOFF_MS = 600_000;

/** Fields UpdateSubscription may change (update_mask paths are proto field names). */
const UPDATABLE: Readonly<Record<string, keyof SubscriptionProto>> = {
  ack_deadline_seconds: 'ackDeadlineSeconds',
  push_config: 'pushConfig',
  retain_acked_messages: 'retainAckedMessages',
  message_retention_duration: 'messageRetentionDuration',
  labels: 'labels',
  enable_message_ordering: 'enableMessageOrdering',
  expiration_policy: 'expirationPolicy',
  filter: 'filter',
  dead_letter_policy: 'deadLetterPolicy',
  retry_policy: 'retryPolicy',
  enable_exactly_once_delivery: 'enableExactlyOnceDelivery',
};

export interface ConfigLimits {
  /** The smallest ack deadline accepted (the real service: 10 s). */
  readonly minDeadlineSeconds: number;
}

/** Validates a subscription as the real service does and fills in its defaults. */
export function normalizeSubscription(input: SubscriptionProto, limits: ConfigLimits): SubscriptionProto {
  const name = parseResourceName('subscriptions', input.name).name;
  if (input.filter) throw unimplemented('Subscription filters are');
  if (input.bigqueryConfig || input.cloudStorageConfig || input.bigtableConfig) {
    throw unimplemented('BigQuery, Cloud Storage and Bigtable subscriptions are');
  }
  const ackDeadlineSeconds = input.ackDeadlineSeconds || DEFAULT_ACK_DEADLINE_SECONDS;
  checkDeadline('ack_deadline_seconds', ackDeadlineSeconds, limits);
  const config: SubscriptionProto = {
    ...input,
    name,
    ackDeadlineSeconds,
    pushConfig: normalizePushConfig(input.pushConfig),
    messageRetentionDuration: input.messageRetentionDuration ?? msToProtoTime(DEFAULT_RETENTION_MS),
    labels: input.labels ?? {},
    state: 'ACTIVE',
  };
  if (!input.deadLetterPolicy?.deadLetterTopic) delete config.deadLetterPolicy;
  else {
    const topic = parseResourceName('topics', input.deadLetterPolicy.deadLetterTopic).name;
    const attempts = input.deadLetterPolicy.maxDeliveryAttempts || DEFAULT_MAX_DELIVERY_ATTEMPTS;
    if (attempts < 5 || attempts > 100) {
      throw invalidArgument('max_delivery_attempts must be between 5 and 100.');
    }
    config.deadLetterPolicy = { deadLetterTopic: topic, maxDeliveryAttempts: attempts };
  }
  if (input.retryPolicy) {
    const minMs = durationToMs(input.retryPolicy.minimumBackoff) ?? DEFAULT_MIN_BACKOFF_MS;
    const maxMs = durationToMs(input.retryPolicy.maximumBackoff) ?? DEFAULT_MAX_BACKOFF_MS;
    if (minMs < 0 || maxMs > MAX_DEADLINE_SECONDS * 1000 || minMs > maxMs) {
      throw invalidArgument(
        'Invalid retry_policy: backoffs must satisfy 0 <= minimum_backoff <= maximum_backoff <= 600s.',
      );
    }
    config.retryPolicy = { minimumBackoff: msToProtoTime(minMs), maximumBackoff: msToProtoTime(maxMs) };
  }
  return config;
}

function normalizePushConfig(push: PushConfigProto | undefined): PushConfigProto {
  if (!push?.pushEndpoint) return push ?? {};
  let url: URL;
  try {
    url = new URL(push.pushEndpoint);
  } catch {
    throw invalidArgument(`Invalid push_endpoint given (endpoint=${push.pushEndpoint}).`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalidArgument(`Invalid push_endpoint given (endpoint=${push.pushEndpoint}).`);
  }
  if (push.noWrapper) throw unimplemented('Push without the message wrapper (no_wrapper) is');
  return push;
}

export function checkDeadline(field: string, seconds: number, limits: ConfigLimits): void {
  if (!Number.isInteger(seconds) || seconds < limits.minDeadlineSeconds || seconds > MAX_DEADLINE_SECONDS) {
    throw invalidArgument(
      `The value for ${field} is invalid: ${seconds}; it must be between ${limits.minDeadlineSeconds} and ${MAX_DEADLINE_SECONDS} seconds.`,
    );
  }
}

/** UpdateSubscription: copies the masked fields (absent in the request = cleared), then re-validates. */
export function applySubscriptionUpdate(
  current: SubscriptionProto,
  update: SubscriptionProto,
  mask: FieldMaskProto | undefined,
  limits: ConfigLimits,
): SubscriptionProto {
  const paths = mask?.paths ?? [];
  if (paths.length === 0)
    throw invalidArgument('The update_mask in the UpdateSubscriptionRequest must be set.');
  const next: SubscriptionProto = { ...current };
  for (const path of paths) {
    const field = UPDATABLE[path];
    if (field === undefined) {
      throw invalidArgument(
        `Invalid update_mask provided in the UpdateSubscriptionRequest: the path "${path}" is not valid.`,
      );
    }
    if (update[field] === undefined) delete next[field];
    else next[field] = update[field];
  }
  return normalizeSubscription(next, limits);
}

/** The redelivery rules a normalised subscription implies. */
export function deliveryPolicyOf(config: SubscriptionProto): DeliveryPolicy {
  const retry = config.retryPolicy;
  const deadLetter = config.deadLetterPolicy;
  return {
    ackDeadlineMs: (config.ackDeadlineSeconds ?? DEFAULT_ACK_DEADLINE_SECONDS) * 1000,
    retry:
      retry === undefined
        ? undefined
        : { minMs: durationToMs(retry.minimumBackoff) ?? 0, maxMs: durationToMs(retry.maximumBackoff) ?? 0 },
    deadLetter:
      deadLetter?.deadLetterTopic === undefined
        ? undefined
        : {
            topic: deadLetter.deadLetterTopic,
            maxDeliveryAttempts: deadLetter.maxDeliveryAttempts ?? DEFAULT_MAX_DELIVERY_ATTEMPTS,
          },
    ordered: config.enableMessageOrdering === true,
  };
}
