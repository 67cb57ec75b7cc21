import type { EventMessages, EventTypeOf, MessageKind, MessageTypes } from './message-catalog.js';
import { MessageCatalog } from './message-catalog.js';

export type MessageHandler<M, C, R> = (message: M, context: C) => Promise<R>;

/**
 * One handler per event type carried by the given kinds. A service subscribing to
 * `export-events` declares `Handlers<'export.events', Ctx>` and the compiler insists on a
 * handler for every event type, including ones added later.
 */
export type Handlers<K extends MessageKind, C = void, R = void> = {
  readonly [T in EventTypeOf<K>]: MessageHandler<EventMessages[T], C, R>;
};

/** Calls the handler for the message's event type. */
export function dispatchMessage<K extends MessageKind, C, R>(
  kind: K,
  handlers: Handlers<K, C, R>,
  message: MessageTypes[K],
  context: C,
): Promise<R> {
  const eventType = MessageCatalog[kind].eventType(message);
  const handler = handlers[eventType] as unknown as MessageHandler<MessageTypes[K], C, R>;
  return handler(message, context);
}
