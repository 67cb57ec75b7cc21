import { EventEmitter } from 'node:events';
import type { SubscriberOptions } from '@google-cloud/pubsub';
import type { PulledMessage, PullSubscription } from '../pull/pull-transport.js';

export interface FakeMessage extends PulledMessage {
  readonly settled: Array<'ack' | 'nack'>;
}

/** An in-memory stand-in for a subscription's event interface: `deliver` emits a message. */
export class FakePullSubscription extends EventEmitter implements PullSubscription {
  readonly name = 'projects/test/subscriptions/work';
  options: SubscriberOptions | undefined;
  closed = false;

  setOptions(options: SubscriberOptions): void {
    this.options = options;
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }

  deliver(id: string, data: string, attributes: Record<string, string> = {}): FakeMessage {
    const settled: Array<'ack' | 'nack'> = [];
    const message: FakeMessage = {
      id,
      data: Buffer.from(data),
      attributes,
      deliveryAttempt: 1,
      publishTime: new Date('2026-01-01T00:00:00.000Z'),
      settled,
      ack: () => void settled.push('ack'),
      nack: () => void settled.push('nack'),
    };
    this.emit('message', message);
    return message;
  }
}
