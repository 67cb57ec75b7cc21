import { describe, expect, it } from '@jest/globals';
import { status } from '@grpc/grpc-js';
import { ManualClock } from '../clock/manual-clock.js';
import { codeOf } from '../testing/status-code.js';
import { PubSubState } from './pubsub-state.js';

const topic = 'projects/p/topics/events';
const subscription = 'projects/p/subscriptions/events-sub';

function setup() {
  const clock = new ManualClock(0);
  const state = new PubSubState(clock, { minDeadlineSeconds: 10 });
  state.createTopic({ name: topic });
  state.createSubscription({ name: subscription, topic });
  return { clock, state };
}

const data = (text: string) => ({ data: Buffer.from(text) });

describe('PubSubState', () => {
  it('assigns increasing message ids and the clock time as publish time', () => {
    const { clock, state } = setup();
    clock.advance(5_000);
    const ids = state.publish(topic, [data('a'), { attributes: { only: 'attributes' } }]);
    expect(ids.map(Number)).toEqual([Number(ids[0]), Number(ids[0]) + 1]);
    expect(state.publishedTo(topic).map((m) => m.publishTime)).toEqual([5_000, 5_000]);
  });

  it('rejects empty publish requests and empty messages', () => {
    const { state } = setup();
    expect(codeOf(() => state.publish(topic, []))).toBe(status.INVALID_ARGUMENT);
    expect(codeOf(() => state.publish(topic, [{ data: Buffer.alloc(0) }]))).toBe(status.INVALID_ARGUMENT);
  });

  it('a detached subscription loses its backlog and receives nothing more', () => {
    const { state } = setup();
    state.publish(topic, [data('before')]);
    state.detachSubscription(subscription);
    state.publish(topic, [data('after')]);
    expect(state.subscription(subscription).config.detached).toBe(true);
    expect(state.subscription(subscription).queue.entries()).toEqual([]);
  });

  it('lists only the resources of the asked project', () => {
    const { state } = setup();
    state.createTopic({ name: 'projects/other/topics/events' });
    expect(state.listTopics('p').map((t) => t.name)).toEqual([topic]);
    expect(state.listSubscriptions('other')).toEqual([]);
  });

  it('forwards exhausted messages to the dead-letter topic with the source attributes', () => {
    const { state } = setup();
    const dead = 'projects/p/topics/events-dead';
    state.createTopic({ name: dead });
    state.updateSubscription(
      { name: subscription, deadLetterPolicy: { deadLetterTopic: dead, maxDeliveryAttempts: 5 } },
      { paths: ['dead_letter_policy'] },
    );
    state.publish(topic, [{ data: Buffer.from('x'), attributes: { keep: 'me' }, orderingKey: 'k' }]);
    const queue = state.subscription(subscription).queue;
    for (let i = 0; i < 5; i++) queue.modifyDeadline([queue.pull(1, 10_000)[0]!.ackId], 0);
    const [forwarded] = state.publishedTo(dead);
    expect(forwarded!.data.toString()).toBe('x');
    expect(forwarded!.orderingKey).toBe('k');
    expect(forwarded!.attributes).toEqual({
      keep: 'me',
      CloudPubSubDeadLetterSourceDeliveryCount: '5',
      CloudPubSubDeadLetterSourceSubscription: 'events-sub',
      CloudPubSubDeadLetterSourceSubscriptionProject: 'p',
      CloudPubSubDeadLetterSourceTopicPublishTime: '1970-01-01T00:00:00.000+00:00',
    });
    expect(state.subscription(subscription).deadLettered.map((m) => m.data.toString())).toEqual(['x']);
  });
});
