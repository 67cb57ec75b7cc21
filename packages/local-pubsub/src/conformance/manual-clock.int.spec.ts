import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { v1 } from '@google-cloud/pubsub';
import { ManualClock } from '../clock/manual-clock.js';
import { PROJECT, startHarness, type Harness } from '../testing/harness.js';

/** With a ManualClock the server's deadlines and backoffs move only when the test says so. */
let h: Harness;
let clock: ManualClock;
let client: v1.SubscriberClient;
const subscription = `projects/${PROJECT}/subscriptions/clocked-sub`;

beforeAll(async () => {
  clock = new ManualClock(Date.UTC(2026, 5, 1));
  h = await startHarness({ clock, minDeadlineSeconds: 10 });
  client = new v1.SubscriberClient(
    (await h.pubsub.getClientConfig()) as ConstructorParameters<typeof v1.SubscriberClient>[0],
  );
});
afterAll(async () => {
  await client.close();
  await h.close();
});

async function pullIds(): Promise<string[]> {
  const [response] = await client.pull({ subscription, maxMessages: 10 });
  return (response.receivedMessages ?? []).map((r) => r.message!.messageId!);
}

it('expires leases and backs off only as the clock advances', async () => {
  const [topic] = await h.pubsub.createTopic('clocked');
  await topic.createSubscription('clocked-sub', {
    ackDeadlineSeconds: 60,
    retryPolicy: { minimumBackoff: { seconds: 30 }, maximumBackoff: { seconds: 300 } },
  });
  const id = await topic.publishMessage({ data: Buffer.from('tick') });
  expect(h.server.published('clocked')[0]!.publishTime.getTime()).toBe(Date.UTC(2026, 5, 1));

  expect(await pullIds()).toEqual([id]);
  clock.advance(59_999);
  expect(await pullIds()).toEqual([]);
  clock.advance(1);
  // Expired: now in a 30 s retry backoff.
  expect(h.server.outstanding('clocked-sub')).toEqual([
    expect.objectContaining({ leased: false, deliveryAttempts: 1 }),
  ]);
  expect(await pullIds()).toEqual([]);
  clock.advance(30_000);
  expect(await pullIds()).toEqual([id]);
});
