import { describe, expect, it } from '@jest/globals';
import { pushEnvelope } from './push-envelope.js';

describe('pushEnvelope', () => {
  it('wraps a message as the real push envelope', () => {
    const publishTime = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
    const envelope = pushEnvelope('projects/p/subscriptions/s', {
      ackId: 'a-1',
      deliveryAttempt: 3,
      message: {
        messageId: '42',
        data: Buffer.from('hi'),
        attributes: { k: 'v' },
        orderingKey: '',
        publishTime,
      },
    });
    expect(envelope).toEqual({
      message: {
        data: 'aGk=',
        attributes: { k: 'v' },
        messageId: '42',
        message_id: '42',
        publishTime: '2026-01-02T03:04:05.678Z',
        publish_time: '2026-01-02T03:04:05.678Z',
      },
      subscription: 'projects/p/subscriptions/s',
      deliveryAttempt: 3,
    });
  });
});
