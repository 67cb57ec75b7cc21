import type { ReceivedMessage } from '../received-message.js';

export type EnvelopeResult =
  { readonly ok: true; readonly message: ReceivedMessage } | { readonly ok: false; readonly problem: string };

/**
 * Reads the standard Pub/Sub push body `{message: {data, attributes, messageId, publishTime},
 * subscription, deliveryAttempt}`. A problem here means the request is not a Pub/Sub delivery
 * at all; malformed *content* is for the decoder (and the dead-letter topic).
 */
export function parsePushEnvelope(body: string): EnvelopeResult {
  let envelope: unknown;
  try {
    envelope = JSON.parse(body);
  } catch {
    return { ok: false, problem: 'body is not JSON' };
  }
  if (!isRecord(envelope) || !isRecord(envelope['message']))
    return { ok: false, problem: 'message: expected an object' };
  const message = envelope['message'];
  const messageId = message['messageId'] ?? message['message_id'];
  if (typeof messageId !== 'string' || messageId.length === 0)
    return { ok: false, problem: 'message.messageId: expected a string' };
  const data = message['data'] ?? '';
  if (typeof data !== 'string') return { ok: false, problem: 'message.data: expected base64 text' };
  const attributes = message['attributes'] ?? {};
  if (!isRecord(attributes) || !Object.values(attributes).every((value) => typeof value === 'string')) {
    return { ok: false, problem: 'message.attributes: expected string values' };
  }
  const publishTime = message['publishTime'] ?? message['publish_time'];
  if (typeof publishTime !== 'string')
    return { ok: false, problem: 'message.publishTime: expected a timestamp' };
  const deliveryAttempt = envelope['deliveryAttempt'];
  return {
    ok: true,
    message: {
      id: messageId,
      data: Buffer.from(data, 'base64'),
      attributes: attributes as Record<string, string>,
      deliveryAttempt: typeof deliveryAttempt === 'number' ? deliveryAttempt : 0,
      publishTime: new Date(publishTime),
    },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
