import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { status } from '@grpc/grpc-js';
import { v1 } from '@google-cloud/pubsub';

import { PublishLimits } from '../state/publish-limits.js';
import { startHarness, type Harness } from '../testing/harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => h.server.reset());

/** The rejection of `promise`: its gRPC code and details. */
async function rejection(promise: Promise<unknown>): Promise<{ code?: number; details?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code?: number; details?: string };
  }
  throw new Error('expected the publish to be refused');
}

function attributes(count: number): Record<string, string> {
  return Object.fromEntries(Array.from({ length: count }, (_, i) => [`a${i}`, 'v']));
}

describe('publish limits of the real service (INVALID_ARGUMENT, nothing stored)', () => {
  it('takes 100 attributes per message and refuses 101', async () => {
    const [topic] = await h.pubsub.createTopic('attrs');
    await topic.publishMessage({ data: Buffer.from('x'), attributes: attributes(100) });
    const refused = await rejection(
      topic.publishMessage({ data: Buffer.from('x'), attributes: attributes(101) }),
    );
    expect(refused.code).toBe(status.INVALID_ARGUMENT);
    expect(refused.details).toBe(
      'A message in the request has too many attributes. The count is 101, but the maximum allowed is 100. Refer to https://cloud.google.com/pubsub/quotas for more information.',
    );
    expect(h.server.published('attrs')).toHaveLength(1);
  });

  it('counts attribute keys (256) and values (1024) in UTF-8 bytes', async () => {
    const [topic] = await h.pubsub.createTopic('sizes');
    await topic.publishMessage({ attributes: { ['k'.repeat(256)]: 'é'.repeat(512) } });
    const longKey = await rejection(topic.publishMessage({ attributes: { ['é'.repeat(129)]: 'v' } }));
    expect(longKey.code).toBe(status.INVALID_ARGUMENT);
    expect(longKey.details).toBe(
      'The attribute "" in the request has a key that is too long. The length is 258 bytes, but the maximum allowed is 256. Refer to https://cloud.google.com/pubsub/quotas for more information.',
    );
    const longValue = await rejection(
      topic.publishMessage({ attributes: { eventType: 'file.ready', note: 'é'.repeat(513) } }),
    );
    expect(longValue.code).toBe(status.INVALID_ARGUMENT);
    expect(longValue.details).toBe(
      'The attribute "note" in the request has a value that is too long. The length is 1026 bytes, but the maximum allowed is 1024. Refer to https://cloud.google.com/pubsub/quotas for more information.',
    );
    expect(h.server.published('sizes')).toHaveLength(1);
  });

  it('takes a message of 10 MB (data and attributes) and refuses one byte more, however large', async () => {
    const [topic] = await h.pubsub.createTopic('big');
    await topic.publishMessage({ data: Buffer.alloc(PublishLimits.messageBytes, 0x61) });
    const over = await rejection(
      topic.publishMessage({
        data: Buffer.alloc(PublishLimits.messageBytes - 2, 0x61),
        attributes: { k: 'vv' },
      }),
    );
    expect(over.code).toBe(status.INVALID_ARGUMENT);
    expect(over.details).toBe(
      'A message in the request is too large. Its data and attributes are 10000001 bytes, but the maximum allowed is 10000000. Refer to https://cloud.google.com/pubsub/quotas for more information.',
    );
    // Past what gRPC reads by default (4 MB) and past the request limit: still INVALID_ARGUMENT.
    const huge = await rejection(topic.publishMessage({ data: Buffer.alloc(20 * 1024 * 1024, 0x61) }));
    expect(huge.code).toBe(status.INVALID_ARGUMENT);
    expect(h.server.published('big')).toHaveLength(1);
  });

  it('refuses a publish request over 10485760 bytes or 1000 messages, storing none of it', async () => {
    const [topic] = await h.pubsub.createTopic('batch');
    const publisher = new v1.PublisherClient(
      (await h.pubsub.getClientConfig()) as ConstructorParameters<typeof v1.PublisherClient>[0],
    );
    try {
      const six = { data: Buffer.alloc(6_000_000, 0x61) };
      const large = await rejection(publisher.publish({ topic: topic.name, messages: [six, six] }));
      expect(large.code).toBe(status.INVALID_ARGUMENT);
      expect(large.details).toBe('Request payload size exceeds the limit: 10485760 bytes.');

      const one = { data: Buffer.from('x') };
      const many = await rejection(
        publisher.publish({ topic: topic.name, messages: Array.from({ length: 1001 }, () => one) }),
      );
      expect(many.code).toBe(status.INVALID_ARGUMENT);
      expect(many.details).toBe(
        'The value for message_count is too large. You passed 1001 in the request, but the maximum value is 1000.',
      );
      const [accepted] = await publisher.publish({
        topic: topic.name,
        messages: Array.from({ length: 1000 }, () => one),
      });
      expect(accepted.messageIds).toHaveLength(1000);
      expect(h.server.published('batch')).toHaveLength(1000);
    } finally {
      await publisher.close();
    }
  });
});
