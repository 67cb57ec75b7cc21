import { describe, expect, it } from '@jest/globals';

import { parseRange } from './download.js';

describe('parseRange', () => {
  it('reads bounded, open-ended and suffix ranges, clamped to the object', () => {
    expect(parseRange('bytes=2-5', 16)).toEqual({ start: 2, end: 5 });
    expect(parseRange('bytes=10-', 16)).toEqual({ start: 10, end: 15 });
    expect(parseRange('bytes=-3', 16)).toEqual({ start: 13, end: 15 });
    expect(parseRange('bytes=-100', 16)).toEqual({ start: 0, end: 15 });
    expect(parseRange('bytes=14-100', 16)).toEqual({ start: 14, end: 15 });
  });

  it('serves the whole object for no range or one it does not understand', () => {
    expect(parseRange(undefined, 16)).toBeUndefined();
    expect(parseRange('bytes=1-2,4-5', 16)).toBeUndefined();
    expect(parseRange('bytes=0-', 0)).toBeUndefined();
  });

  it('answers 416 for a range past the end', () => {
    expect(() => parseRange('bytes=16-', 16)).toThrow(expect.objectContaining({ status: 416 }));
  });
});
