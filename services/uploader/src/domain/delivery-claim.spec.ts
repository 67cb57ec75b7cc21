import { describe, expect, it } from '@jest/globals';

import { claimIsLive, newClaim, releasedClaim } from './delivery-claim.js';

const now = new Date('2026-11-26T05:00:00Z');

describe('delivery claims', () => {
  it('are live until they expire', () => {
    const claim = newClaim('holder-1', 'event-1', now, 60_000);
    expect(claim.expiresAt).toBe('2026-11-26T05:01:00.000Z');
    expect(claimIsLive(claim, new Date('2026-11-26T05:00:59Z'))).toBe(true);
    expect(claimIsLive(claim, new Date('2026-11-26T05:01:00Z'))).toBe(false);
  });

  it('end when released', () => {
    expect(claimIsLive(releasedClaim(newClaim('h', 'e', now, 60_000), now), now)).toBe(false);
  });

  it('hold nothing when the record does not parse', () => {
    expect(claimIsLive({ holder: 'h' }, now)).toBe(false);
    expect(claimIsLive('x', now)).toBe(false);
  });
});
