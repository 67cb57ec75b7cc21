import { describe, expect, it } from '@jest/globals';

import { renderCsv, splitRecords } from './rfc4180.js';

describe('the tests’ own RFC 4180 writer', () => {
  it('quotes only what needs it, doubles quotes, renders NULL as nothing', () => {
    const text = renderCsv(
      ['a', 'b', 'c'],
      [
        { a: 1, b: 'x, "y"', c: null },
        { a: 2, b: 'line\nbreak', c: 'plain' },
      ],
    );
    expect(text).toBe('a,b,c\n1,"x, ""y""",\n2,"line\nbreak",plain\n');
    expect(splitRecords(text)).toEqual(['a,b,c\n', '1,"x, ""y""",\n', '2,"line\nbreak",plain\n']);
  });
});
