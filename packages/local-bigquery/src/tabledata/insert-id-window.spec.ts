import { describe, expect, it } from '@jest/globals';
import { InsertIdWindow } from './insert-id-window.js';

describe('InsertIdWindow', () => {
  it('remembers ids per table for the window, then forgets them', () => {
    let now = 1_000;
    const window = new InsertIdWindow(60_000, () => now);
    window.remember('ds.t', ['a']);
    expect(window.has('ds.t', 'a')).toBe(true);
    expect(window.has('ds.other', 'a')).toBe(false);
    now += 59_999;
    expect(window.has('ds.t', 'a')).toBe(true);
    now += 1;
    expect(window.has('ds.t', 'a')).toBe(false);
  });
});
