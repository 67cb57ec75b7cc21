import { describe, expect, it } from '@jest/globals';

import { listObjects, type ListQuery } from './list-objects.js';
import type { ObjectRecord } from './records.js';

const names = ['a/1', 'a/2', 'a/sub/3', 'b/4', 'c', 'd'];
const objects = names.map((name) => ({ name }) as ObjectRecord);

function page(query: Partial<ListQuery>) {
  const result = listObjects(objects, { prefix: '', delimiter: '', maxResults: 1000, ...query });
  return { items: result.items.map((item) => item.name), prefixes: result.prefixes, next: result.next };
}

describe('listObjects', () => {
  it('lists all names without a delimiter', () => {
    expect(page({})).toEqual({ items: names, prefixes: [], next: undefined });
  });

  it('rolls names up to the first delimiter after the prefix', () => {
    expect(page({ delimiter: '/' })).toEqual({ items: ['c', 'd'], prefixes: ['a/', 'b/'], next: undefined });
    expect(page({ prefix: 'a/', delimiter: '/' })).toEqual({
      items: ['a/1', 'a/2'],
      prefixes: ['a/sub/'],
      next: undefined,
    });
  });

  it('counts prefixes toward maxResults and resumes after the last key', () => {
    const first = page({ delimiter: '/', maxResults: 2 });
    expect(first).toEqual({ items: [], prefixes: ['a/', 'b/'], next: 'b/' });
    expect(page({ delimiter: '/', maxResults: 2, after: 'b/' })).toEqual({
      items: ['c', 'd'],
      prefixes: [],
      next: undefined,
    });
  });

  it('pages plain names exactly, with no next page when the last one fills the page', () => {
    expect(page({ maxResults: 3 })).toEqual({
      items: ['a/1', 'a/2', 'a/sub/3'],
      prefixes: [],
      next: 'a/sub/3',
    });
    expect(page({ maxResults: 3, after: 'a/sub/3' })).toEqual({
      items: ['b/4', 'c', 'd'],
      prefixes: [],
      next: undefined,
    });
  });

  it('honours startOffset (inclusive) and endOffset (exclusive)', () => {
    expect(page({ startOffset: 'a/2', endOffset: 'c' }).items).toEqual(['a/2', 'a/sub/3', 'b/4']);
  });
});
