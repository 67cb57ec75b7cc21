import { describe, expect, it } from '@jest/globals';

import { preconditionsFrom, preconditionsHold } from './preconditions.js';

const live = { generation: 1700000000000001, metageneration: 2 };

describe('preconditionsHold', () => {
  it('treats ifGenerationMatch 0 as "must not exist"', () => {
    expect(preconditionsHold(undefined, { ifGenerationMatch: 0 })).toBe(true);
    expect(preconditionsHold(live, { ifGenerationMatch: 0 })).toBe(false);
  });

  it('matches generations and metagenerations', () => {
    expect(preconditionsHold(live, { ifGenerationMatch: live.generation })).toBe(true);
    expect(preconditionsHold(live, { ifGenerationMatch: live.generation - 1 })).toBe(false);
    expect(preconditionsHold(live, { ifGenerationNotMatch: live.generation })).toBe(false);
    expect(preconditionsHold(live, { ifGenerationNotMatch: 5 })).toBe(true);
    expect(preconditionsHold(live, { ifMetagenerationMatch: 2 })).toBe(true);
    expect(preconditionsHold(live, { ifMetagenerationMatch: 1 })).toBe(false);
    expect(preconditionsHold(undefined, { ifMetagenerationMatch: 1 })).toBe(false);
    expect(preconditionsHold(live, { ifMetagenerationNotMatch: 2 })).toBe(false);
  });

  it('treats ifGenerationNotMatch 0 as "must exist"', () => {
    expect(preconditionsHold(undefined, { ifGenerationNotMatch: 0 })).toBe(false);
    expect(preconditionsHold(live, { ifGenerationNotMatch: 0 })).toBe(true);
  });
});

describe('preconditionsFrom', () => {
  it('reads plain and prefixed parameters and rejects garbage', () => {
    const query = new URLSearchParams('ifGenerationMatch=0&ifSourceMetagenerationMatch=3');
    expect(preconditionsFrom(query)).toEqual({ ifGenerationMatch: 0 });
    expect(preconditionsFrom(query, 'ifSource')).toEqual({ ifMetagenerationMatch: 3 });
    expect(() => preconditionsFrom(new URLSearchParams('ifGenerationMatch=abc'))).toThrow(RangeError);
  });
});
