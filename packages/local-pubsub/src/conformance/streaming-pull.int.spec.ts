import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Duration, type Message, type Subscription } from '@google-cloud/pubsub';
import { pollUntil } from '@bq-sftp-export/testing';
import { collect, startHarness, WAIT, type Harness } from '../testing/harness.js';

/** Publish and StreamingPull delivery, driven only through @google-cloud/pubsub. */
let h: Harness;
const open: Subscription[] = [];
beforeAll(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
  h.server.reset();
});
afterAll(async () => {
  await h.close();
});

function subscriber(
  name: string,
  options: Parameters<Harness['pubsub']['subscription']>[1] = {},
): Subscription {
  const subscription = h.pubsub.subscription(name, options);
  open.push(subscription);
  return subscription;
}

const receivedAt = new WeakMap<Message, number>();
function stamp(message: Message): void {
  receivedAt.set(message, Date.now());
}

describe('publish and receive', () => {
  it('delivers data, attributes, ordering key, server message ids and publish times', async () => {
    const [topic] = await h.pubsub.createTopic('events');
    await topic.createSubscription('events-sub');
    const before = Date.now();
    const id = await topic.publishMessage({
      data: Buffer.from('{"n":1}'),
      attributes: { type: 'file.ready', v: '1' },
    });
    const ordered = h.pubsub.topic('events', { messageOrdering: true });
    const orderedId = await ordered.publishMessage({ data: Buffer.from('k'), orderingKey: 'export-a' });
    expect(id).toMatch(/^\d+$/);
    expect(orderedId).not.toBe(id);

    const received = collect(subscriber('events-sub'));
    await pollUntil(() => (received.length >= 2 ? received : undefined), {
      describe: 'two messages',
      ...WAIT,
    });
    const first = received.find((m) => m.id === id)!;
    expect(first.data.toString()).toBe('{"n":1}');
    expect(first.attributes).toEqual({ type: 'file.ready', v: '1' });
    expect(first.publishTime.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(received.find((m) => m.id === orderedId)!.orderingKey).toBe('export-a');
    await pollUntil(() => (h.server.outstanding('events-sub').length === 0 ? true : undefined), {
      describe: 'acks',
      ...WAIT,
    });
    expect(h.server.published('events').map((m) => m.id)).toEqual([id, orderedId]);
  });

  it('carries a message larger than the 4 MB gRPC default limit', async () => {
    const [topic] = await h.pubsub.createTopic('large');
    await topic.createSubscription('large-sub');
    const data = Buffer.alloc(5 * 1024 * 1024, 7);
    await topic.publishMessage({ data });
    const received = collect(subscriber('large-sub'));
    await pollUntil(() => received[0], { describe: 'large message', ...WAIT });
    expect(received[0]!.data.equals(data)).toBe(true);
  });

  it('fans out to every subscription of the topic, and not to subscriptions created later', async () => {
    const [topic] = await h.pubsub.createTopic('fan');
    await topic.createSubscription('fan-a');
    await topic.publishMessage({ data: Buffer.from('early') });
    await topic.createSubscription('fan-b');
    await topic.publishMessage({ data: Buffer.from('late') });
    expect(h.server.outstanding('fan-a').map((m) => m.data.toString())).toEqual(['early', 'late']);
    expect(h.server.outstanding('fan-b').map((m) => m.data.toString())).toEqual(['late']);
  });

  it('respects the client flow control: never more outstanding than maxMessages', async () => {
    const [topic] = await h.pubsub.createTopic('flow');
    await topic.createSubscription('flow-sub');
    await Promise.all(
      Array.from({ length: 6 }, (_, i) => topic.publishMessage({ data: Buffer.from(String(i)) })),
    );
    const held: Message[] = [];
    collect(
      subscriber('flow-sub', {
        flowControl: { maxMessages: 2, allowExcessMessages: false },
        streamingOptions: { maxStreams: 1 },
      }),
      (m) => held.push(m),
    );
    await pollUntil(() => (held.length === 2 ? true : undefined), { describe: 'two leased', ...WAIT });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(held).toHaveLength(2);
    expect(h.server.outstanding('flow-sub').filter((m) => m.leased)).toHaveLength(2);
    held.splice(0).forEach((m) => m.ack());
    await pollUntil(() => (held.length === 2 ? true : undefined), { describe: 'next two', ...WAIT });
    held.forEach((m) => m.ack());
    await pollUntil(() => (h.server.outstanding('flow-sub').length <= 2 ? true : undefined), {
      describe: 'the rest',
      ...WAIT,
    });
  });
});

describe('redelivery', () => {
  it('redelivers a nacked message after the retry-policy backoff', async () => {
    const [topic] = await h.pubsub.createTopic('retry');
    await topic.createSubscription('retry-sub', {
      retryPolicy: { minimumBackoff: { seconds: 1 }, maximumBackoff: { seconds: 2 } },
    });
    const nackedAt: number[] = [];
    const received = collect(subscriber('retry-sub'), (m) => {
      stamp(m);
      if (nackedAt.length === 0) {
        nackedAt.push(Date.now());
        m.nack();
      } else {
        m.ack();
      }
    });
    const id = await topic.publishMessage({ data: Buffer.from('again') });
    await pollUntil(() => (received.length >= 2 ? true : undefined), { describe: 'redelivery', ...WAIT });
    expect(received.map((m) => m.id)).toEqual([id, id]);
    // The backoff is a lower bound: the message must not come back before a second has passed.
    expect(receivedAt.get(received[1]!)! - nackedAt[0]!).toBeGreaterThanOrEqual(950);
    await pollUntil(() => (h.server.outstanding('retry-sub').length === 0 ? true : undefined), {
      describe: 'ack',
      ...WAIT,
    });
  });

  it('redelivers a message whose ack deadline expires', async () => {
    const [topic] = await h.pubsub.createTopic('expiry');
    await topic.createSubscription('expiry-sub', { ackDeadlineSeconds: 1 });
    const second = Duration.from({ seconds: 1 });
    const received = collect(
      subscriber('expiry-sub', { minAckDeadline: second, maxAckDeadline: second, maxExtensionTime: second }),
      (m) => {
        stamp(m);
        // Hold the first delivery without acking; the lease runs out and the server redelivers.
        if (received.length > 1) m.ack();
      },
    );
    const id = await topic.publishMessage({ data: Buffer.from('slow') });
    await pollUntil(() => (received.length >= 2 ? true : undefined), { describe: 'redelivery', ...WAIT });
    expect(received.slice(0, 2).map((m) => m.id)).toEqual([id, id]);
    expect(receivedAt.get(received[1]!)! - receivedAt.get(received[0]!)!).toBeGreaterThanOrEqual(950);
    await pollUntil(() => (h.server.outstanding('expiry-sub').length === 0 ? true : undefined), {
      describe: 'ack',
      ...WAIT,
    });
  });

  it('forwards to the dead-letter topic after max delivery attempts, keeping data and attributes', async () => {
    const [topic] = await h.pubsub.createTopic('jobs');
    const [deadLetters] = await h.pubsub.createTopic('jobs-dead');
    await deadLetters.createSubscription('jobs-dead-sub');
    await topic.createSubscription('jobs-sub', {
      deadLetterPolicy: { deadLetterTopic: deadLetters.name, maxDeliveryAttempts: 5 },
      retryPolicy: { minimumBackoff: { nanos: 50_000_000 }, maximumBackoff: { nanos: 100_000_000 } },
    });
    const attempts = collect(subscriber('jobs-sub'), (m) => m.nack());
    const id = await topic.publishMessage({
      data: Buffer.from('poison'),
      attributes: { eventType: 'file.ready' },
    });

    const dead = collect(subscriber('jobs-dead-sub'));
    await pollUntil(() => (dead.length > 0 ? true : undefined), { describe: 'dead letter', ...WAIT });
    expect(attempts.map((m) => m.deliveryAttempt)).toEqual([1, 2, 3, 4, 5]);
    expect(attempts.every((m) => m.id === id)).toBe(true);
    expect(dead[0]!.data.toString()).toBe('poison');
    expect(dead[0]!.attributes).toEqual(
      expect.objectContaining({
        eventType: 'file.ready',
        CloudPubSubDeadLetterSourceDeliveryCount: '5',
        CloudPubSubDeadLetterSourceSubscription: 'jobs-sub',
        CloudPubSubDeadLetterSourceSubscriptionProject: 'test-project',
        CloudPubSubDeadLetterSourceTopicPublishTime: expect.stringMatching(
          /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/,
        ),
      }),
    );
    expect(h.server.deadLettered('jobs-sub').map((m) => m.id)).toEqual([id]);
    expect(h.server.outstanding('jobs-sub')).toEqual([]);
  });

  it('sets no deliveryAttempt without a dead-letter policy', async () => {
    const [topic] = await h.pubsub.createTopic('plain');
    await topic.createSubscription('plain-sub');
    const received = collect(subscriber('plain-sub'));
    await topic.publishMessage({ data: Buffer.from('x') });
    await pollUntil(() => (received.length > 0 ? true : undefined), { describe: 'message', ...WAIT });
    expect(received[0]!.deliveryAttempt).toBe(0);
  });

  it('fails a subscriber of a subscription that does not exist with NOT_FOUND', async () => {
    const subscription = subscriber('never-created');
    const errors: Error[] = [];
    subscription.on('error', (e: Error) => errors.push(e));
    subscription.on('message', (m: Message) => m.ack());
    const error = await pollUntil(() => errors[0], { describe: 'stream error', ...WAIT });
    expect((error as { code?: number }).code).toBe(5);
  });

  it('ends open streams with NOT_FOUND when their subscription is deleted', async () => {
    const [topic] = await h.pubsub.createTopic('vanish');
    await topic.createSubscription('vanish-sub');
    const subscription = subscriber('vanish-sub');
    const errors: Error[] = [];
    subscription.on('message', (m: Message) => m.ack());
    subscription.on('error', (e: Error) => errors.push(e));
    await topic.publishMessage({ data: Buffer.from('x') });
    await pollUntil(
      () =>
        h.server.outstanding('vanish-sub').length === 0 && h.server.published('vanish').length === 1
          ? true
          : undefined,
      { describe: 'ack', ...WAIT },
    );
    await h.pubsub.subscription('vanish-sub').delete();
    const error = await pollUntil(() => errors[0], { describe: 'stream error', ...WAIT });
    expect((error as { code?: number }).code).toBe(5);
  });
});
