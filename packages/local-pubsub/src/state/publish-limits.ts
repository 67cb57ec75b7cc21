import type { PubsubMessageProto } from '../model/proto-types.js';
import { invalidArgument } from '../model/pubsub-error.js';

/**
 * The real service's resource limits on a publish (https://cloud.google.com/pubsub/quotas,
 * "Resource limits"), enforced so a publisher that works here does not fail in Google Cloud.
 * Sizes are UTF-8 bytes; the documentation's MB is 10^6 bytes, except the request's limit,
 * which the real service reports as 10485760 bytes.
 */
export const PublishLimits = {
  messagesPerRequest: 1000,
  requestBytes: 10 * 1024 * 1024,
  messageBytes: 10_000_000,
  attributesPerMessage: 100,
  attributeKeyBytes: 256,
  attributeValueBytes: 1024,
} as const;

const QUOTAS = 'Refer to https://cloud.google.com/pubsub/quotas for more information.';

/**
 * Throws INVALID_ARGUMENT, worded as the real service words it, for the first limit the request
 * breaks; the whole request is refused and nothing of it is stored.
 */
export function checkPublishLimits(topic: string, messages: readonly PubsubMessageProto[]): void {
  if (messages.length > PublishLimits.messagesPerRequest) {
    throw invalidArgument(
      `The value for message_count is too large. You passed ${messages.length} in the request, but the maximum value is ${PublishLimits.messagesPerRequest}.`,
    );
  }
  let requestBytes = Buffer.byteLength(topic);
  for (const message of messages) {
    const attributes = Object.entries(message.attributes ?? {});
    if (attributes.length > PublishLimits.attributesPerMessage) {
      throw invalidArgument(
        `A message in the request has too many attributes. The count is ${attributes.length}, but the maximum allowed is ${PublishLimits.attributesPerMessage}. ${QUOTAS}`,
      );
    }
    let messageBytes = message.data?.length ?? 0;
    for (const [key, value] of attributes) {
      const keyBytes = Buffer.byteLength(key);
      const valueBytes = Buffer.byteLength(value);
      // The real service does not echo a key that is too long.
      if (keyBytes > PublishLimits.attributeKeyBytes) {
        throw invalidArgument(
          `The attribute "" in the request has a key that is too long. The length is ${keyBytes} bytes, but the maximum allowed is ${PublishLimits.attributeKeyBytes}. ${QUOTAS}`,
        );
      }
      if (valueBytes > PublishLimits.attributeValueBytes) {
        throw invalidArgument(
          `The attribute "${key}" in the request has a value that is too long. The length is ${valueBytes} bytes, but the maximum allowed is ${PublishLimits.attributeValueBytes}. ${QUOTAS}`,
        );
      }
      messageBytes += keyBytes + valueBytes;
    }
    if (messageBytes > PublishLimits.messageBytes) {
      throw invalidArgument(
        `A message in the request is too large. Its data and attributes are ${messageBytes} bytes, but the maximum allowed is ${PublishLimits.messageBytes}. ${QUOTAS}`,
      );
    }
    requestBytes += messageBytes + Buffer.byteLength(message.orderingKey ?? '');
  }
  if (requestBytes > PublishLimits.requestBytes) {
    throw invalidArgument(`Request payload size exceeds the limit: ${PublishLimits.requestBytes} bytes.`);
  }
}
