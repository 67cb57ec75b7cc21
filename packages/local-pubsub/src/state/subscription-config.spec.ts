import { describe, expect, it } from '@jest/globals';
import { status } from '@grpc/grpc-js';
import { codeOf } from '../testing/status-code.js';
import { applySubscriptionUpdate, deliveryPolicyOf, normalizeSubscription } from './subscription-config.js';

const limits = { minDeadlineSeconds: 10 };
const base = { name: 'projects/p/subscriptions/sub-1', topic: 'projects/p/topics/topic-1' };

describe('subscription configuration', () => {
  it('fills the defaults of the real service', () => {
    const config = normalizeSubscription(
      { ...base, deadLetterPolicy: { deadLetterTopic: 'projects/p/topics/dead' }, retryPolicy: {} },
      limits,
    );
    expect(config.ackDeadlineSeconds).toBe(10);
    expect(config.deadLetterPolicy).toEqual({
      deadLetterTopic: 'projects/p/topics/dead',
      maxDeliveryAttempts: 5,
    });
    expect(deliveryPolicyOf(config)).toEqual({
      ackDeadlineMs: 10_000,
      retry: { minMs: 10_000, maxMs: 600_000 },
      deadLetter: { topic: 'projects/p/topics/dead', maxDeliveryAttempts: 5 },
      ordered: false,
    });
  });

  it('enforces the deadline range, with a configurable minimum', () => {
    expect(codeOf(() => normalizeSubscription({ ...base, ackDeadlineSeconds: 5 }, limits))).toBe(
      status.INVALID_ARGUMENT,
    );
    expect(
      normalizeSubscription({ ...base, ackDeadlineSeconds: 1 }, { minDeadlineSeconds: 1 }).ackDeadlineSeconds,
    ).toBe(1);
    expect(codeOf(() => normalizeSubscription({ ...base, ackDeadlineSeconds: 601 }, limits))).toBe(
      status.INVALID_ARGUMENT,
    );
  });

  it('rejects a retry policy whose minimum exceeds its maximum', () => {
    const retryPolicy = { minimumBackoff: { seconds: 20 }, maximumBackoff: { seconds: 10 } };
    expect(codeOf(() => normalizeSubscription({ ...base, retryPolicy }, limits))).toBe(
      status.INVALID_ARGUMENT,
    );
  });

  it('applies only masked fields; a masked field absent from the request is cleared', () => {
    const current = normalizeSubscription(
      {
        ...base,
        ackDeadlineSeconds: 20,
        labels: { a: '1' },
        deadLetterPolicy: { deadLetterTopic: 'projects/p/topics/dead' },
      },
      limits,
    );
    const next = applySubscriptionUpdate(
      current,
      { name: base.name, ackDeadlineSeconds: 30, labels: { b: '2' } },
      { paths: ['ack_deadline_seconds', 'dead_letter_policy'] },
      limits,
    );
    expect(next.ackDeadlineSeconds).toBe(30);
    expect(next.labels).toEqual({ a: '1' });
    expect(next.deadLetterPolicy).toBeUndefined();
    expect(
      codeOf(() => applySubscriptionUpdate(current, { name: base.name }, { paths: ['topic'] }, limits)),
    ).toBe(status.INVALID_ARGUMENT);
    expect(codeOf(() => applySubscriptionUpdate(current, { name: base.name }, { paths: [] }, limits))).toBe(
      status.INVALID_ARGUMENT,
    );
  });
});
