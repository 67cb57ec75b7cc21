import { describe, expect, it } from '@jest/globals';
import { parsePushEnvelope } from './push-envelope.js';

describe('parsePushEnvelope', () => {
  it('reads the standard push body', () => {
    const result = parsePushEnvelope(
      JSON.stringify({
        message: {
          data: Buffer.from('hello').toString('base64'),
          attributes: { a: '1' },
          messageId: '42',
          publishTime: '2026-03-04T05:06:07.890Z',
        },
        subscription: 'projects/p/subscriptions/s',
        deliveryAttempt: 5,
      }),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.message.data.toString()).toBe('hello');
    expect(result.message).toMatchObject({ id: '42', attributes: { a: '1' }, deliveryAttempt: 5 });
    expect(result.message.publishTime.toISOString()).toBe('2026-03-04T05:06:07.890Z');
  });

  it('accepts a message without data or attributes, and without deliveryAttempt (no dead-letter policy)', () => {
    const result = parsePushEnvelope(
      JSON.stringify({ message: { messageId: '1', publishTime: '2026-01-01T00:00:00Z' } }),
    );
    expect(result).toMatchObject({ ok: true, message: { id: '1', attributes: {}, deliveryAttempt: 0 } });
    expect(result.ok && result.message.data.length).toBe(0);
  });

  it.each([
    ['not json', 'body is not JSON'],
    ['[]', 'message: expected an object'],
    ['{"message":{"data":"e30="}}', 'message.messageId'],
    ['{"message":{"messageId":"1"}}', 'message.publishTime'],
    ['{"message":{"messageId":"1","publishTime":"2026-01-01T00:00:00Z","data":7}}', 'message.data'],
    [
      '{"message":{"messageId":"1","publishTime":"2026-01-01T00:00:00Z","attributes":{"a":1}}}',
      'message.attributes',
    ],
  ])('rejects %s naming the problem', (body, problem) => {
    const result = parsePushEnvelope(body);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problem).toContain(problem);
  });
});
