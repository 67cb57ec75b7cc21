import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { collect, startHarness, waitFor, type Harness } from './testing/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

it('publishes and receives', async () => {
  const [topic] = await h.pubsub.createTopic('smoke');
  const [sub] = await topic.createSubscription('smoke-sub');
  const got = collect(sub);
  await topic.publishMessage({ data: Buffer.from('hi'), attributes: { a: '1' } });
  await waitFor('message', () => (got.length > 0 ? got : undefined));
  expect(got[0]!.data.toString()).toBe('hi');
  await sub.close();
});
