import { describe, expect, it } from '@jest/globals';

import { seedPlan } from './seed-plan.js';

describe('seedPlan', () => {
  it('seeds a fraction that doubles to exactly the rows asked for', () => {
    expect(seedPlan(1_000_000)).toEqual({ seeded: 15_625, doublings: 6 });
    expect(seedPlan(250_000)).toEqual({ seeded: 15_625, doublings: 4 });
    expect(seedPlan(7)).toEqual({ seeded: 7, doublings: 0 });
    for (const rows of [1, 96, 20_000, 1_000_000]) {
      const { seeded, doublings } = seedPlan(rows);
      expect(seeded * 2 ** doublings).toBe(rows);
    }
  });
});
