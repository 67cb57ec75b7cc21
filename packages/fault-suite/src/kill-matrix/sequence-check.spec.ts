import { describe, expect, it } from '@jest/globals';

import { checkSequences } from './sequence-check.js';

describe('checkSequences', () => {
  it('is clean when every inserted number is delivered once, across files', () => {
    expect(
      checkSequences(
        [1, 2, 3, 4],
        [
          [1, 2],
          [4, 3],
        ],
      ),
    ).toEqual({ lost: [], duplicated: [], unexpected: [] });
  });

  it('names lost, duplicated (once per extra copy) and never-inserted numbers', () => {
    expect(checkSequences([1, 2, 3, 4], [[1, 2, 2], [2, 9], []])).toEqual({
      lost: [3, 4],
      duplicated: [2, 2],
      unexpected: [9],
    });
  });
});
