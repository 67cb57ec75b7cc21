import { DeadLetterAttribute } from '@bq-sftp-export/runtime';

import type { DeadLetterQueue, PulledDeadLetter } from './dead-letter-queue.js';

/** Attributes Pub/Sub adds when it dead-letters a message itself. */
const PUBSUB_DEAD_LETTER_PREFIX = 'CloudPubSubDeadLetterSource';
/** Pub/Sub's count of deliveries before it dead-lettered the message (max delivery attempts reached). */
const PUBSUB_DELIVERY_COUNT = `${PUBSUB_DEAD_LETTER_PREFIX}DeliveryCount`;
const runtimeDeadLetterAttributes = new Set<string>(Object.values(DeadLetterAttribute));

/** Replay marks: when, and which original message (its id on the source topic). */
export const ReplayAttribute = { replayedAt: 'replayedAt', replayOf: 'replayOf' } as const;

/** The original attributes: the dead-letter ones (ours and Pub/Sub's) removed, replay marks added. */
export function replayAttributes(message: PulledDeadLetter, replayedAt: Date): Record<string, string> {
  const kept = Object.entries(message.attributes).filter(
    ([name]) => !runtimeDeadLetterAttributes.has(name) && !name.startsWith(PUBSUB_DEAD_LETTER_PREFIX),
  );
  return {
    ...Object.fromEntries(kept),
    [ReplayAttribute.replayedAt]: replayedAt.toISOString(),
    [ReplayAttribute.replayOf]: message.attributes[DeadLetterAttribute.sourceMessageId] ?? message.messageId,
  };
}

/** What an operator sees of one dead letter (never its payload: it may hold row values). */
export interface DeadLetterSummary {
  readonly messageId: string;
  readonly eventType: string | undefined;
  readonly correlationId: string | undefined;
  readonly reason: string | undefined;
  readonly code: string | undefined;
  /** Deliveries Pub/Sub counted before it dead-lettered the message itself; absent when the service did. */
  readonly deliveryAttempts: number | undefined;
  /** Why it is here, in words: the service's code and reason, or that Pub/Sub gave up on it. */
  readonly cause: string;
  readonly publishTime: string | undefined;
}

export function summarize(message: PulledDeadLetter): DeadLetterSummary {
  const a = message.attributes;
  const reason = a[DeadLetterAttribute.reason];
  const code = a[DeadLetterAttribute.code];
  const count = Number(a[PUBSUB_DELIVERY_COUNT]);
  const deliveryAttempts = Number.isSafeInteger(count) && count > 0 ? count : undefined;
  return {
    messageId: message.messageId,
    eventType: a['eventType'],
    correlationId: a['correlationId'],
    reason,
    code,
    deliveryAttempts,
    cause: deadLetterCause(code, reason, deliveryAttempts),
    publishTime: message.publishTime,
  };
}

/**
 * The service dead-letters a message itself with a code and a reason. A message that kept
 * failing without one (a crash, a timeout, a nack) is dead-lettered by Pub/Sub once the
 * subscription's max delivery attempts are reached, carrying only Pub/Sub's own attributes.
 */
function deadLetterCause(
  code: string | undefined,
  reason: string | undefined,
  deliveryAttempts: number | undefined,
): string {
  if (code !== undefined || reason !== undefined) return `${code ?? 'no code'}: ${reason ?? 'no reason'}`;
  if (deliveryAttempts !== undefined)
    return `dead-lettered by Pub/Sub after ${deliveryAttempts} delivery attempts (no error recorded by the service)`;
  return 'no error recorded (neither the service nor Pub/Sub marked it as dead-lettered)';
}

/** Publishes one message; resolves with its id once it is durable. */
export type Republish = (
  topic: string,
  message: { data: Buffer; attributes: Record<string, string>; orderingKey?: string },
) => Promise<string>;

export interface ReplayOptions {
  readonly queue: DeadLetterQueue;
  readonly republish: Republish;
  /** The topic the dead letters came from. */
  readonly topic: string;
  /** At most this many messages; absent: until the subscription is empty. */
  readonly limit?: number;
  /** Only list: every pulled message is released again, nothing is published or acked. */
  readonly dryRun: boolean;
  readonly now?: () => Date;
  readonly onProgress?: (done: number, summary: DeadLetterSummary, newMessageId?: string) => void;
}

export interface ReplayReport {
  readonly messages: readonly (DeadLetterSummary & { readonly newMessageId?: string })[];
  readonly replayed: number;
  /** The message the replay stopped at, still on the dead-letter subscription. */
  readonly failed?: { readonly messageId: string; readonly error: unknown };
}

const BATCH = 50;

/**
 * Moves dead letters back to their topic, one at a time: publish, then ack only once the
 * publish is durable. A failed publish stops the replay and releases every message not yet
 * acked, so an interruption at any point loses nothing (at worst one message is published
 * twice, which consumers absorb: they are idempotent on business keys).
 */
export async function replayDeadLetters(options: ReplayOptions): Promise<ReplayReport> {
  const { queue, limit } = options;
  const now = options.now ?? (() => new Date());
  const messages: (DeadLetterSummary & { newMessageId?: string })[] = [];
  const held: string[] = [];
  let replayed = 0;
  try {
    for (;;) {
      const remaining = limit === undefined ? BATCH : Math.min(BATCH, limit - messages.length);
      if (remaining <= 0) break;
      const batch = await queue.pull(remaining);
      if (batch.length === 0) break;
      held.push(...batch.map((message) => message.ackId));
      for (const message of batch) {
        const summary = summarize(message);
        if (options.dryRun) {
          messages.push(summary);
          options.onProgress?.(messages.length, summary);
          continue;
        }
        let newMessageId: string;
        try {
          newMessageId = await options.republish(options.topic, {
            data: message.data,
            attributes: replayAttributes(message, now()),
            ...(message.orderingKey === undefined ? {} : { orderingKey: message.orderingKey }),
          });
        } catch (error) {
          return { messages, replayed, failed: { messageId: message.messageId, error } };
        }
        await queue.ack([message.ackId]);
        held.splice(held.indexOf(message.ackId), 1);
        replayed += 1;
        messages.push({ ...summary, newMessageId });
        options.onProgress?.(messages.length, summary, newMessageId);
      }
    }
    return { messages, replayed };
  } finally {
    // Dry run, failure or interruption: whatever was pulled and not acked goes back at once.
    await queue.release(held).catch(() => undefined);
  }
}
