import { describe, expect, it } from '@jest/globals';
import { PubSub } from '@google-cloud/pubsub';
import { isAppError } from '../../errors/app-error.js';
import type { PullSubscription } from './pull-transport.js';
import { pullSubscriberOptions } from './pull-subscriber-options.js';

describe('pullSubscriberOptions', () => {
  it('defaults to one message at a time, 60 s leases extended up to an hour', () => {
    const options = pullSubscriberOptions();
    expect(options.flowControl?.maxMessages).toBe(1);
    expect(options.maxAckDeadline?.totalOf('second')).toBe(60);
    expect(options.minAckDeadline?.totalOf('second')).toBe(10);
    expect(options.maxExtensionTime?.totalOf('minute')).toBe(60);
  });

  it.each([
    { maxMessages: 0 },
    { maxMessages: 1.5 },
    { maxAckDeadlineSeconds: 61 },
    { maxAckDeadlineSeconds: 5 },
    { minAckDeadlineSeconds: 0 },
    { minAckDeadlineSeconds: 11 },
    { maxExtensionMinutes: 0 },
  ])('rejects %j naming the field', (settings) => {
    let caught: unknown;
    try {
      pullSubscriberOptions(settings);
    } catch (error) {
      caught = error;
    }
    expect(isAppError(caught) && caught.code).toBe('PULL_SETTINGS_INVALID');
    expect((caught as Error).message).toContain(Object.keys(settings)[0]);
  });

  it('allows short leases for tests against a local server', () => {
    const options = pullSubscriberOptions({ minAckDeadlineSeconds: 1, maxAckDeadlineSeconds: 1 });
    expect(options.minAckDeadline?.totalOf('second')).toBe(1);
    expect(options.maxAckDeadline?.totalOf('second')).toBe(1);
  });

  it('is accepted by a real v6 Subscription, which fits the transport interface', async () => {
    const pubsub = new PubSub({ projectId: 'test', apiEndpoint: '127.0.0.1:1' });
    const subscription: PullSubscription = pubsub.subscription('work');
    subscription.setOptions(pullSubscriberOptions({ maxMessages: 4 }));
    expect(subscription.name).toBe('projects/test/subscriptions/work');
    await pubsub.close();
  });
});
