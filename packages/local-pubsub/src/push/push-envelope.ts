import type { Delivered } from '../state/delivery-queue.js';

/** The JSON body Pub/Sub POSTs to a push endpoint (camelCase and snake_case ids and times, as the real service). */
export interface PushEnvelope {
  message: {
    data: string;
    attributes: Record<string, string>;
    messageId: string;
    message_id: string;
    publishTime: string;
    publish_time: string;
    orderingKey?: string;
  };
  subscription: string;
  deliveryAttempt?: number;
}

export function pushEnvelope(subscription: string, delivered: Delivered): PushEnvelope {
  const { message } = delivered;
  const publishTime = new Date(message.publishTime).toISOString();
  const envelope: PushEnvelope = {
    message: {
      data: message.data.toString('base64'),
      attributes: { ...message.attributes },
      messageId: message.messageId,
      message_id: message.messageId,
      publishTime,
      publish_time: publishTime,
      ...(message.orderingKey === '' ? {} : { orderingKey: message.orderingKey }),
    },
    subscription,
  };
  if (delivered.deliveryAttempt !== undefined) envelope.deliveryAttempt = delivered.deliveryAttempt;
  return envelope;
}
