import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { PubSub } from '@google-cloud/pubsub';

import { clientOptions, startLocalPubSub } from '@bq-sftp-export/local-pubsub';
import type { LocalPubSub } from '@bq-sftp-export/local-pubsub';
import { Topology } from '@bq-sftp-export/contracts';
import type { TopologyEntry } from '@bq-sftp-export/contracts';

import { ensureTopology } from './ensure-topology.js';

const PROJECT = 'topology-test';
let server: LocalPubSub;
let pubsub: PubSub;

beforeAll(async () => {
  server = await startLocalPubSub({ port: 0, minDeadlineSeconds: 1 });
  pubsub = new PubSub(clientOptions(server.host, PROJECT));
});

afterAll(async () => {
  await pubsub.close();
  await server.stop();
});

beforeEach(() => server.reset());

const bare = (names: readonly string[]): string[] =>
  names.map((name) => name.split('/').pop() ?? name).sort();

describe('ensureTopology against the local Pub/Sub', () => {
  it('creates every topic, dead-letter topic and subscription of the contracts topology', async () => {
    const report = await ensureTopology(pubsub);

    const topics = Topology.flatMap((entry) => [entry.topic, entry.deadLetterTopic]);
    const subscriptions = Topology.flatMap((entry) => [entry.subscription, entry.deadLetterSubscription]);
    expect(bare(server.topics())).toEqual([...topics].sort());
    expect(bare(server.subscriptions())).toEqual([...subscriptions].sort());
    expect([...report.created].sort()).toEqual([...topics, ...subscriptions].sort());
    expect(report.existing).toEqual([]);

    for (const entry of Topology) {
      const [consumer] = await pubsub.subscription(entry.subscription).getMetadata();
      expect(consumer.topic).toBe(`projects/${PROJECT}/topics/${entry.topic}`);
      expect(consumer.ackDeadlineSeconds).toBe(60);
      expect(consumer.deadLetterPolicy?.deadLetterTopic).toBe(
        `projects/${PROJECT}/topics/${entry.deadLetterTopic}`,
      );
      expect(consumer.deadLetterPolicy?.maxDeliveryAttempts).toBe(entry.maxDeliveryAttempts);
      expect(Number(consumer.retryPolicy?.minimumBackoff?.seconds)).toBe(10);
      expect(Number(consumer.retryPolicy?.maximumBackoff?.seconds)).toBe(600);
      const [deadLetters] = await pubsub.subscription(entry.deadLetterSubscription).getMetadata();
      expect(deadLetters.topic).toBe(`projects/${PROJECT}/topics/${entry.deadLetterTopic}`);
      expect(deadLetters.deadLetterPolicy).toBeFalsy();
    }
  });

  it('is idempotent and leaves existing resources as they are', async () => {
    const [entry] = Topology as [TopologyEntry, ...TopologyEntry[]];
    await pubsub.createTopic(entry.topic);
    await pubsub.createSubscription(entry.topic, entry.subscription, { ackDeadlineSeconds: 20 });

    const first = await ensureTopology(pubsub);
    expect(first.existing).toEqual([entry.topic, entry.subscription]);
    const second = await ensureTopology(pubsub);
    expect(second.created).toEqual([]);
    expect(second.existing).toHaveLength(Topology.length * 4);

    const [kept] = await pubsub.subscription(entry.subscription).getMetadata();
    expect(kept.ackDeadlineSeconds).toBe(20);
    expect(kept.deadLetterPolicy).toBeFalsy();
  });

  it('applies the given deadlines and backoffs; exhausted messages reach the dead-letter subscription', async () => {
    const entry: TopologyEntry = { ...(Topology[0] as TopologyEntry), maxDeliveryAttempts: 5 };
    await ensureTopology(pubsub, [entry], {
      ackDeadlineSeconds: 1,
      minimumBackoffSeconds: 0,
      maximumBackoffSeconds: 0,
    });
    const [metadata] = await pubsub.subscription(entry.subscription).getMetadata();
    expect(metadata.ackDeadlineSeconds).toBe(1);

    await pubsub.topic(entry.topic).publishMessage({ data: Buffer.from('poison'), attributes: { a: '1' } });
    const subscription = pubsub.subscription(entry.subscription);
    subscription.on('message', (message: { nack(): void }) => message.nack());
    const deadLetters = pubsub.subscription(entry.deadLetterSubscription);
    const received = await new Promise<{ data: Buffer; attributes: Record<string, string> }>((resolve) => {
      deadLetters.once(
        'message',
        (message: { data: Buffer; attributes: Record<string, string>; ack(): void }) => {
          message.ack();
          resolve(message);
        },
      );
    });
    await subscription.close();
    await deadLetters.close();
    expect(received.data.toString()).toBe('poison');
    expect(received.attributes['a']).toBe('1');
  });
});
