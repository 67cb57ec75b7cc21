import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { status } from '@grpc/grpc-js';
import { PROJECT, startHarness, type Harness } from '../testing/harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => h.server.reset());

describe('fault control: failing publishes', () => {
  it('fails the next publishes to a topic with UNAVAILABLE, storing nothing; the client retries them', async () => {
    const [topic] = await h.pubsub.createTopic('flaky');
    const [other] = await h.pubsub.createTopic('steady');
    h.server.failPublishes('flaky', 2);

    await other.publishMessage({ data: Buffer.from('untouched') });
    const id = await topic.publishMessage({ data: Buffer.from('once') });
    expect(h.server.published('flaky').map((message) => [message.id, message.data.toString()])).toEqual([
      [id, 'once'],
    ]);
    expect(h.server.published('steady')).toHaveLength(1);
  });

  it('with afterStoring, stores each attempt before failing it: the retries publish duplicates', async () => {
    const [topic] = await h.pubsub.createTopic('lossy');
    h.server.failPublishes('lossy', 2, { afterStoring: true });
    await topic.publishMessage({ data: Buffer.from('twice or more') });
    const stored = h.server.published('lossy');
    expect(stored.map((message) => message.data.toString())).toEqual(Array(3).fill('twice or more'));
    expect(new Set(stored.map((message) => message.id)).size).toBe(3);
  });

  it('a caller that does not retry sees UNAVAILABLE', async () => {
    const [topic] = await h.pubsub.createTopic('strict');
    h.server.failPublishes(`projects/${PROJECT}/topics/strict`, 1);
    const noRetry = h.pubsub.topic('strict', { gaxOpts: { retry: null } });
    await expect(noRetry.publishMessage({ data: Buffer.from('x') })).rejects.toMatchObject({
      code: status.UNAVAILABLE,
    });
    await topic.publishMessage({ data: Buffer.from('y') });
    expect(h.server.published('strict').map((message) => message.data.toString())).toEqual(['y']);
  });
});
