import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PubSub } from '@google-cloud/pubsub';
import type { Message } from '@google-cloud/pubsub';

import { clientOptions, startLocalPubSub } from '@bq-sftp-export/local-pubsub';
import type { LocalPubSub } from '@bq-sftp-export/local-pubsub';
import { isAppError } from '@bq-sftp-export/runtime';

import { PubSubMessagePublisher } from './pubsub-message-publisher.adapter.js';

let server: LocalPubSub;
let pubsub: PubSub;

beforeAll(async () => {
  server = await startLocalPubSub({ port: 0 });
  pubsub = new PubSub(clientOptions(server.host, 'publisher-test'));
  await pubsub.createTopic('file-ready');
  await pubsub.createSubscription('file-ready', 'uploader.file-ready');
});

afterAll(async () => {
  await pubsub.close();
  await server.stop();
});

describe('PubSubMessagePublisher through the real client', () => {
  it('publishes data, attributes and ordering key and resolves with the message id', async () => {
    const publisher = new PubSubMessagePublisher(pubsub);
    const subscription = pubsub.subscription('uploader.file-ready');
    const received = new Promise<Message>((resolve) => {
      subscription.once('message', (message: Message) => {
        message.ack();
        resolve(message);
      });
    });

    const id = await publisher.publish('file-ready', {
      data: Buffer.from('{"eventId":"e-1"}'),
      attributes: { eventType: 'file.ready', schemaVersion: '1' },
      orderingKey: 'run-1',
    });
    const message = await received;
    await subscription.close();
    await publisher.close();

    expect(message.id).toBe(id);
    expect(message.data.toString()).toBe('{"eventId":"e-1"}');
    expect(message.attributes).toEqual({ eventType: 'file.ready', schemaVersion: '1' });
    expect(message.orderingKey).toBe('run-1');
    expect(server.published('file-ready').map((m) => m.id)).toContain(id);
  });

  it('turns a missing topic into a non-retryable PUBLISH_REJECTED and keeps publishing on the key', async () => {
    const publisher = new PubSubMessagePublisher(pubsub);
    const failure = await publisher
      .publish('no-such-topic', { data: Buffer.from('x'), attributes: {}, orderingKey: 'k' })
      .catch((error: unknown) => error);
    expect(isAppError(failure) && failure.code).toBe('PUBLISH_REJECTED');
    expect(isAppError(failure) && failure.retryable).toBe(false);

    await pubsub.createTopic('no-such-topic');
    await expect(
      publisher.publish('no-such-topic', { data: Buffer.from('y'), attributes: {}, orderingKey: 'k' }),
    ).resolves.toMatch(/.+/);
    await publisher.close();
  });
});
