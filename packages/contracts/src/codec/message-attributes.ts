import type { MessageKind, MessageTypes } from '../catalog/message-catalog.js';
import { MessageCatalog } from '../catalog/message-catalog.js';

/** Pub/Sub attribute names every message carries. */
export const AttributeNames = {
  /** `export.requested`, `file.ready`, `freshness.tick`, or the `type` of an `export.events` message. */
  eventType: 'eventType',
  /** The payload's `schemaVersion`, as a decimal string. */
  schemaVersion: 'schemaVersion',
  /** The run id (or the request id of a request): filters logs and subscriptions by run. */
  correlationId: 'correlationId',
} as const;

/** Pub/Sub attributes: `eventType`, `schemaVersion` and (when known) `correlationId`. */
export type MessageAttributes = Readonly<Record<string, string>>;

/** The attributes for a valid message of a kind. */
export function messageAttributes<K extends MessageKind>(
  kind: K,
  message: MessageTypes[K],
): MessageAttributes {
  const entry = MessageCatalog[kind] as unknown as {
    currentVersion: number;
    eventType(message: MessageTypes[K]): string;
    correlationId(message: MessageTypes[K]): string | undefined;
  };
  const correlationId = entry.correlationId(message);
  return {
    [AttributeNames.eventType]: entry.eventType(message),
    [AttributeNames.schemaVersion]: String(entry.currentVersion),
    ...(correlationId === undefined ? {} : { [AttributeNames.correlationId]: correlationId }),
  };
}
