import type { PubSub } from '@google-cloud/pubsub';

import { topologyOf } from '@bq-sftp-export/contracts';
import type { TopicName } from '@bq-sftp-export/contracts';
import type { LocalCloud } from '@bq-sftp-export/local-cloud';
import { DeadLetterAttribute } from '@bq-sftp-export/runtime';
import { pollUntil } from '@bq-sftp-export/testing';

/** The attribute each bad message carries so its dead letter can be told apart. */
export const CASE_ATTRIBUTE = 'badInputCase';

/** A dead letter as the operator sees it in `ops.<topic>.dead-letter`. */
export interface DeadLetter {
  readonly data: Buffer;
  readonly attributes: Readonly<Record<string, string>>;
  readonly code: string | undefined;
  readonly reason: string | undefined;
}

/** How the bad-input tests wait (`pollUntil(check, { describe, ...WAIT })`): 60 s, every 200 ms. */
export const WAIT = { timeoutMs: 60_000, intervalMs: 200 } as const;

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
  timeoutMs: number = WAIT.timeoutMs,
): Promise<DeadLetter> {
  return pollUntil(() => deadLettersOf(cloud, topic).find(match), {
    describe: `a dead letter on ${topic}`,
    ...WAIT,
    timeoutMs,
  });
}
