import { describe, expect, it } from '@jest/globals';

import { fileNameProblem } from './file-name.js';

describe('fileNameProblem', () => {
  it.each([
    'SHOPIFYCUSTOMERDATA_20261126_050000.csv',
    'a.b.c.csv.gz',
    'report 1.csv',
    'x',
    'Zoë_données.csv',
  ])('accepts %s', (name) => {
    expect(fileNameProblem(name)).toBeUndefined();
  });

  it.each([
    ['', 'non-empty'],
    ['a'.repeat(256), 'at most 255'],
    ['é'.repeat(128), 'at most 255 bytes'],
    ['report\u202Evsc.exe', 'no invisible or bidirectional'],
    ['a\u200Eb.csv', 'no invisible or bidirectional'],
    ['a\u200Fb.csv', 'no invisible or bidirectional'],
    ['a\u2066b\u2069.csv', 'no invisible or bidirectional'],
    ['a\u200Bb.csv', 'no invisible or bidirectional'],
    ['a\uFEFFb.csv', 'no invisible or bidirectional'],
    ['a\u0085b.csv', 'no invisible or bidirectional'],
    ['a/b', 'no "/"'],
    ['a\\b', 'no "/", "\\"'],
    ['C:x.csv', '":"'],
    ['..', 'no ".."'],
    ['a..b', 'no ".."'],
    ['.hidden', 'no leading "."'],
    ['a\u0000b', 'no control characters'],
    ['a\nb', 'no control characters'],
    ['%2e%2e', 'no percent-encoded'],
    ['a%2Fb', 'no percent-encoded'],
    [' a.csv', 'no leading or trailing whitespace'],
  ])('refuses %j', (name, expected) => {
    expect(fileNameProblem(name)).toContain(expected);
  });
});
