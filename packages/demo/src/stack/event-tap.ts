import { randomUUID } from 'node:crypto';

import type { Message, PubSub, Subscription } from '@google-cloud/pubsub';

import { decodeMessage, Topics } from '@bq-sftp-export/contracts';
import type { ExportEvent } from '@bq-sftp-export/contracts';

/** A subscription of its own on `export-events`: every event from its creation on, decoded. */
export interface EventTap {
  readonly subscription: string;
  /** Every event received so far, in arrival order. */
  events(): readonly ExportEvent[];
  /** Calls `listener` for each event from now on. */
  onEvent(listener: (event: ExportEvent) => void): void;
  /** Stops listening and deletes the subscription. */
  close(): Promise<void>;
}

/**
 * Taps `export-events` without taking anything from tracker-notifier: a separate subscription
 * (`<prefix>.<uuid>`) gets its own copy of each event. Undecodable messages are acked and
 * skipped: they are tracker-notifier's to dead-letter, not the tap's.
 */
export async function openEventTap(pubsub: PubSub, prefix = 'demo-tap'): Promise<EventTap> {
  const name = `${prefix}.${randomUUID()}`;
  const [subscription]: [Subscription, ...unknown[]] = await pubsub
    .topic(Topics.exportEvents)
    .createSubscription(name, { ackDeadlineSeconds: 60 });
  const received: ExportEvent[] = [];
  const listeners: ((event: ExportEvent) => void)[] = [];
  subscription.on('message', (message: Message) => {
    message.ack();
    let event: ExportEvent;
    try {
      event = decodeMessage('export.events', message.data, message.attributes);
    } catch {
      return;
    }
    received.push(event);
    for (const listener of listeners) listener(event);
  });
  subscription.on('error', () => undefined);
  return {
    subscription: name,
    events: () => [...received],
    onEvent: (listener) => {
      listeners.push(listener);
    },
    close: async () => {
      await subscription.close();
      await subscription.delete().catch(() => undefined);
    },
  };
}
