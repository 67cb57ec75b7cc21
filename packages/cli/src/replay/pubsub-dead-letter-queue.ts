import type { PubSub } from '@google-cloud/pubsub';
import { v1 } from '@google-cloud/pubsub';

import type { DeadLetterQueue, PulledDeadLetter } from './dead-letter-queue.js';

const DEADLINE_EXCEEDED = 4;

/** A dead-letter subscription read with unary Pull through the client's v1 SubscriberClient. */
export async function openPubSubDeadLetterQueue(
  pubsub: PubSub,
  subscription: string,
): Promise<DeadLetterQueue> {
  // The same options the client's own gapic clients get: emulator channel or ADC.
  const client = new v1.SubscriberClient(
    (await pubsub.getClientConfig()) as ConstructorParameters<typeof v1.SubscriberClient>[0],
  );
  const name = pubsub.subscription(subscription).name;
  return {
    async pull(max) {
      try {
        const [response] = await client.pull({ subscription: name, maxMessages: max }, { timeout: 15_000 });
        return (response.receivedMessages ?? []).flatMap((received): PulledDeadLetter[] => {
          const message = received.message;
          if (!received.ackId || !message) return [];
          const seconds = Number(message.publishTime?.seconds ?? 0);
          return [
            {
              ackId: received.ackId,
              messageId: message.messageId ?? '',
              data: Buffer.from(message.data ?? new Uint8Array()),
              attributes: { ...(message.attributes ?? {}) },
              ...(message.orderingKey ? { orderingKey: message.orderingKey } : {}),
              ...(seconds > 0 ? { publishTime: new Date(seconds * 1000).toISOString() } : {}),
            },
          ];
        });
      } catch (error) {
        // No message within the timeout: nothing is waiting.
        if ((error as { code?: unknown }).code === DEADLINE_EXCEEDED) return [];
        throw error;
      }
    },
    async ack(ackIds) {
      if (ackIds.length > 0) await client.acknowledge({ subscription: name, ackIds: [...ackIds] });
    },
    async release(ackIds) {
      if (ackIds.length > 0)
        await client.modifyAckDeadline({ subscription: name, ackIds: [...ackIds], ackDeadlineSeconds: 0 });
    },
    close: () => client.close(),
  };
}
