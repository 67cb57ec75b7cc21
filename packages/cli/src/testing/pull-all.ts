import type { PubSub } from '@google-cloud/pubsub';

import type { PulledDeadLetter } from '../replay/dead-letter-queue.js';
import { openPubSubDeadLetterQueue } from '../replay/pubsub-dead-letter-queue.js';

/** Pulls and acks everything waiting on a subscription (unary pull returns at once on the local Pub/Sub). */
export async function pullAll(pubsub: PubSub, subscription: string): Promise<PulledDeadLetter[]> {
  const queue = await openPubSubDeadLetterQueue(pubsub, subscription);
  const messages: PulledDeadLetter[] = [];
  try {
    for (;;) {
      const batch = await queue.pull(100);
      if (batch.length === 0) return messages;
      messages.push(...batch);
      await queue.ack(batch.map((message) => message.ackId));
    }
  } finally {
    await queue.close();
  }
}
