import type { PubSub } from '@google-cloud/pubsub';

import { topologyOf } from '@bq-sftp-export/contracts';
import type { TopicName } from '@bq-sftp-export/contracts';
import type { LocalCloud } from '@bq-sftp-export/local-cloud';
import { DeadLetterAttribute } from '@bq-sftp-export/runtime';

/** The attribute each bad message carries so its dead letter can be told apart. */
export const CASE_ATTRIBUTE = 'badInputCase';

/** A dead letter as the operator sees it in `ops.<topic>.dead-letter`. */
export interface DeadLetter {
  readonly data: Buffer;
  readonly attributes: Readonly<Record<string, string>>;
  readonly code: string | undefined;
  readonly reason: string | undefined;
}

/** Polls `probe` until it returns something; fails naming `what` after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 60_000,
  intervalMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Publishes raw bytes with raw attributes: no encoding, no validation (that is the point). */
export async function publishRaw(
  pubsub: PubSub,
  topic: TopicName,
  data: Buffer,
  attributes: Readonly<Record<string, string>>,
): Promise<string> {
  return pubsub.topic(topic).publishMessage({ data, attributes: { ...attributes } });
}

/** The dead letters now waiting on the topic's `ops.<topic>.dead-letter` subscription. */
export function deadLettersOf(cloud: LocalCloud, topic: TopicName): DeadLetter[] {
  return cloud.pubsub.outstanding(topologyOf(topic).deadLetterSubscription).map((message) => ({
    data: message.data,
    attributes: message.attributes,
    code: message.attributes[DeadLetterAttribute.code],
    reason: message.attributes[DeadLetterAttribute.reason],
  }));
}

/** Waits for the dead letter matching `match` on the topic's dead-letter subscription. */
export function waitForDeadLetter(
  cloud: LocalCloud,
  topic: TopicName,
  match: (letter: DeadLetter) => boolean,
  timeoutMs = 60_000,
): Promise<DeadLetter> {
  return waitFor(`a dead letter on ${topic}`, () => deadLettersOf(cloud, topic).find(match), timeoutMs);
}
