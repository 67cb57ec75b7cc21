import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { status } from '@grpc/grpc-js';
import { codeOfPromise } from '../testing/status-code.js';
import { PROJECT, startHarness, type Harness } from '../testing/harness.js';

/** Topic and subscription administration, driven only through @google-cloud/pubsub. */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => h.server.reset());

describe('topics', () => {
  it('creates, gets, lists and deletes topics', async () => {
    const [topic] = await h.pubsub.createTopic({ name: 'orders', labels: { team: 'data' } });
    expect(topic.name).toBe(`projects/${PROJECT}/topics/orders`);
    await h.pubsub.createTopic('invoices');

    const [metadata] = await h.pubsub.topic('orders').getMetadata();
    expect(metadata.labels).toEqual({ team: 'data' });
    const [topics] = await h.pubsub.getTopics();
    expect(topics.map((t) => t.name)).toEqual([
      `projects/${PROJECT}/topics/invoices`,
      `projects/${PROJECT}/topics/orders`,
    ]);

    expect(h.server.topics()).toEqual([
      `projects/${PROJECT}/topics/invoices`,
      `projects/${PROJECT}/topics/orders`,
    ]);

    await h.pubsub.topic('orders').delete();
    expect((await h.pubsub.topic('orders').exists())[0]).toBe(false);
    expect((await h.pubsub.topic('invoices').exists())[0]).toBe(true);
  });

  it('pages through topic lists', async () => {
    for (const name of ['t-a', 't-b', 't-c']) await h.pubsub.createTopic(name);
    const [firstPage, , response] = await h.pubsub.getTopics({ pageSize: 2, autoPaginate: false });
    expect(firstPage.map((t) => t.name.split('/').pop())).toEqual(['t-a', 't-b']);
    expect((response as { nextPageToken?: string }).nextPageToken).toBeTruthy();
  });

  it('answers ALREADY_EXISTS, NOT_FOUND and INVALID_ARGUMENT as the real service', async () => {
    await h.pubsub.createTopic('dup');
    expect(await codeOfPromise(h.pubsub.createTopic('dup'))).toBe(status.ALREADY_EXISTS);
    expect(await codeOfPromise(h.pubsub.topic('missing').getMetadata())).toBe(status.NOT_FOUND);
    expect(await codeOfPromise(h.pubsub.topic('missing').delete())).toBe(status.NOT_FOUND);
    expect(await codeOfPromise(h.pubsub.topic('missing').publishMessage({ data: Buffer.from('x') }))).toBe(
      status.NOT_FOUND,
    );
    expect(await codeOfPromise(h.pubsub.createTopic(`projects/${PROJECT}/topics/-bad`))).toBe(
      status.INVALID_ARGUMENT,
    );
    expect(await codeOfPromise(h.pubsub.createTopic('goog-reserved'))).toBe(status.INVALID_ARGUMENT);
    expect(await codeOfPromise(h.pubsub.createTopic('ab'))).toBe(status.INVALID_ARGUMENT);
  });

  it('lists the subscriptions of a topic', async () => {
    const [topic] = await h.pubsub.createTopic('fan-out');
    await topic.createSubscription('fan-1');
    await topic.createSubscription('fan-2');
    const [subscriptions] = await topic.getSubscriptions();
    expect(subscriptions.map((s) => s.name)).toEqual([
      `projects/${PROJECT}/subscriptions/fan-1`,
      `projects/${PROJECT}/subscriptions/fan-2`,
    ]);
  });
});

describe('subscriptions', () => {
  it('creates a subscription with ack deadline, dead-letter, retry and push settings and reads them back', async () => {
    const [topic] = await h.pubsub.createTopic('work');
    const [dlt] = await h.pubsub.createTopic('work-dead');
    await topic.createSubscription('work-sub', {
      ackDeadlineSeconds: 30,
      deadLetterPolicy: { deadLetterTopic: dlt.name, maxDeliveryAttempts: 7 },
      retryPolicy: { minimumBackoff: { seconds: 2 }, maximumBackoff: { seconds: 60 } },
      pushConfig: { pushEndpoint: 'http://127.0.0.1:9/push' },
      labels: { env: 'local' },
    });
    const [metadata] = await h.pubsub.subscription('work-sub').getMetadata();
    expect(metadata.topic).toBe(topic.name);
    expect(metadata.ackDeadlineSeconds).toBe(30);
    expect(metadata.deadLetterPolicy).toEqual(
      expect.objectContaining({ deadLetterTopic: dlt.name, maxDeliveryAttempts: 7 }),
    );
    expect(Number(metadata.retryPolicy?.minimumBackoff?.seconds)).toBe(2);
    expect(Number(metadata.retryPolicy?.maximumBackoff?.seconds)).toBe(60);
    expect(metadata.pushConfig?.pushEndpoint).toBe('http://127.0.0.1:9/push');
    expect(metadata.labels).toEqual({ env: 'local' });
    expect(metadata.state).toBe('ACTIVE');
  });

  it('fills in the defaults of the real service', async () => {
    const [topic] = await h.pubsub.createTopic('defaults');
    await topic.createSubscription('defaults-sub', { deadLetterPolicy: { deadLetterTopic: topic.name } });
    const [metadata] = await h.pubsub.subscription('defaults-sub').getMetadata();
    expect(metadata.ackDeadlineSeconds).toBe(10);
    expect(metadata.deadLetterPolicy?.maxDeliveryAttempts).toBe(5);
  });

  it('updates only the fields named in the update mask', async () => {
    const [topic] = await h.pubsub.createTopic('upd');
    await topic.createSubscription('upd-sub', { ackDeadlineSeconds: 20, labels: { a: '1' } });
    const subscription = h.pubsub.subscription('upd-sub');
    await subscription.setMetadata({
      ackDeadlineSeconds: 45,
      retryPolicy: { minimumBackoff: { seconds: 1 }, maximumBackoff: { seconds: 5 } },
    });
    const [metadata] = await subscription.getMetadata();
    expect(metadata.ackDeadlineSeconds).toBe(45);
    expect(Number(metadata.retryPolicy?.maximumBackoff?.seconds)).toBe(5);
    expect(metadata.labels).toEqual({ a: '1' });
    expect(await codeOfPromise(subscription.setMetadata({ ackDeadlineSeconds: 601 }))).toBe(
      status.INVALID_ARGUMENT,
    );
  });

  it('lists and deletes subscriptions; a deleted topic leaves its subscriptions on _deleted-topic_', async () => {
    const [topic] = await h.pubsub.createTopic('gone');
    await topic.createSubscription('orphan');
    const [subscriptions] = await h.pubsub.getSubscriptions();
    expect(subscriptions.map((s) => s.name)).toEqual([`projects/${PROJECT}/subscriptions/orphan`]);
    await topic.delete();
    const [metadata] = await h.pubsub.subscription('orphan').getMetadata();
    expect(metadata.topic).toBe('_deleted-topic_');
    await h.pubsub.subscription('orphan').delete();
    expect((await h.pubsub.subscription('orphan').exists())[0]).toBe(false);
  });

  it('answers subscription errors as the real service', async () => {
    const [topic] = await h.pubsub.createTopic('errs');
    await topic.createSubscription('errs-sub');
    expect(await codeOfPromise(topic.createSubscription('errs-sub'))).toBe(status.ALREADY_EXISTS);
    expect(await codeOfPromise(h.pubsub.topic('nope').createSubscription('nope-sub'))).toBe(status.NOT_FOUND);
    expect(await codeOfPromise(h.pubsub.subscription('nope-sub').getMetadata())).toBe(status.NOT_FOUND);
    expect(await codeOfPromise(h.pubsub.subscription('nope-sub').delete())).toBe(status.NOT_FOUND);
    expect(await codeOfPromise(topic.createSubscription('-bad'))).toBe(status.INVALID_ARGUMENT);
    expect(
      await codeOfPromise(
        topic.createSubscription('dl-missing', {
          deadLetterPolicy: { deadLetterTopic: `projects/${PROJECT}/topics/no-such-topic` },
        }),
      ),
    ).toBe(status.NOT_FOUND);
    expect(await codeOfPromise(topic.createSubscription('deadline', { ackDeadlineSeconds: 601 }))).toBe(
      status.INVALID_ARGUMENT,
    );
    expect(
      await codeOfPromise(
        topic.createSubscription('dl', {
          deadLetterPolicy: { deadLetterTopic: topic.name, maxDeliveryAttempts: 2 },
        }),
      ),
    ).toBe(status.INVALID_ARGUMENT);
    expect(
      await codeOfPromise(topic.createSubscription('push', { pushConfig: { pushEndpoint: 'not a url' } })),
    ).toBe(status.INVALID_ARGUMENT);
  });

  it('answers UNIMPLEMENTED, naming the emulator, for what it does not emulate', async () => {
    const [topic] = await h.pubsub.createTopic('seek');
    const [subscription] = await topic.createSubscription('seek-sub');
    const error = await subscription.seek(new Date()).then(
      () => undefined,
      (e: unknown) => e as { code?: number; message?: string },
    );
    expect(error?.code).toBe(status.UNIMPLEMENTED);
    expect(error?.message).toContain('Seek is not emulated by bq-sftp-export local-pubsub');
    expect(await codeOfPromise(topic.createSubscription('filtered', { filter: 'attributes.a = "1"' }))).toBe(
      status.UNIMPLEMENTED,
    );
  });
});
