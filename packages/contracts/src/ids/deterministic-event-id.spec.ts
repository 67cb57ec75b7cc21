import { describe, expect, it } from '@jest/globals';

import { deterministicEventId } from './deterministic-event-id.js';

describe('deterministicEventId', () => {
  it('gives the same id for the same parts, as a version-5 UUID', () => {
    const id = deterministicEventId('run-1', 'extract.staged', 'shopify_customers');
    expect(deterministicEventId('run-1', 'extract.staged', 'shopify_customers')).toBe(id);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('gives different ids when the parts differ, including how they are split', () => {
    const ids = new Set([
      deterministicEventId('run-1', 'extract.staged'),
      deterministicEventId('run-2', 'extract.staged'),
      deterministicEventId('run-1', 'extract.empty'),
      deterministicEventId('a:b', 'c'),
      deterministicEventId('a', 'b:c'),
      deterministicEventId('ab', ''),
      deterministicEventId('a', 'b'),
    ]);
    expect(ids.size).toBe(7);
  });

  it('needs at least one part', () => {
    expect(() => deterministicEventId()).toThrow('at least one part');
  });
});
