import { msToProtoTime } from '../model/proto-time.js';
import type { PubsubMessageProto } from '../model/proto-types.js';
import type { StoredMessage } from '../model/stored-message.js';
import type { Delivered } from '../state/delivery-queue.js';

export function toPubsubMessage(message: StoredMessage): PubsubMessageProto {
  return {
    data: message.data,
    attributes: { ...message.attributes },
    messageId: message.messageId,
    publishTime: msToProtoTime(message.publishTime),
    orderingKey: message.orderingKey,
  };
}

/** A google.pubsub.v1.ReceivedMessage. */
export function toReceivedMessage(delivered: Delivered): {
  ackId: string;
  message: PubsubMessageProto;
  deliveryAttempt?: number;
} {
  const received = { ackId: delivered.ackId, message: toPubsubMessage(delivered.message) };
  return delivered.deliveryAttempt === undefined
    ? received
    : { ...received, deliveryAttempt: delivered.deliveryAttempt };
}
