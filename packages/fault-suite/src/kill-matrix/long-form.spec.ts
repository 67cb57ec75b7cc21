import { describe, expect, it } from '@jest/globals';

import { seededRandom } from './long-form.js';

describe('seededRandom', () => {
  it('repeats its sequence for a seed, differs for another, and stays in [0, 1)', () => {
    const take = (seed: number) => {
      const random = seededRandom(seed);
      return Array.from({ length: 200 }, () => random());
    };
    expect(take(42)).toEqual(take(42));
    expect(take(43)).not.toEqual(take(42));
    expect(take(7).every((value) => value >= 0 && value < 1)).toBe(true);
    expect(new Set(take(7).map((value) => Math.floor(value * 10))).size).toBe(10);
  });
});
