import { describe, expect, it } from '@jest/globals';

import { parseContentRange } from './content-range.js';

describe('parseContentRange', () => {
  it('reads status queries', () => {
    expect(parseContentRange('bytes */*')).toEqual({ kind: 'status' });
    expect(parseContentRange('bytes */42')).toEqual({ kind: 'status', total: 42 });
  });

  it('reads chunks, open-ended requests and a missing header', () => {
    expect(parseContentRange('bytes 0-262143/*')).toEqual({ kind: 'data', start: 0, end: 262143 });
    expect(parseContentRange('bytes 10-19/20')).toEqual({ kind: 'data', start: 10, end: 19, total: 20 });
    expect(parseContentRange('bytes 0-*/*')).toEqual({ kind: 'data', start: 0 });
    expect(parseContentRange('bytes 0-*/100')).toEqual({ kind: 'data', start: 0, total: 100 });
    expect(parseContentRange(undefined)).toEqual({ kind: 'data', start: 0 });
  });

  it('rejects anything else', () => {
    expect(parseContentRange('items 0-1/2')).toBeUndefined();
    expect(parseContentRange('bytes 0-1')).toBeUndefined();
  });
});
