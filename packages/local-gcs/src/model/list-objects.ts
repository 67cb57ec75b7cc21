import type { ObjectRecord } from './records.js';

export interface ListQuery {
  readonly prefix: string;
  readonly delimiter: string;
  readonly maxResults: number;
  /** The last key of the previous page (an object name or a prefix). */
  readonly after?: string;
  readonly startOffset?: string;
  readonly endOffset?: string;
}

export interface ListPage {
  readonly items: readonly ObjectRecord[];
  readonly prefixes: readonly string[];
  /** The last key of this page when more follow. */
  readonly next?: string;
}

/**
 * One page of a listing, as the JSON API pages it: names in lexicographic order, names that
 * continue past the delimiter rolled up into one prefix, and prefixes counting toward
 * `maxResults` like objects do.
 */
export function listObjects(sortedObjects: readonly ObjectRecord[], query: ListQuery): ListPage {
  const items: ObjectRecord[] = [];
  const prefixes: string[] = [];
  let last: string | undefined;
  for (const object of sortedObjects) {
    const { name } = object;
    if (!name.startsWith(query.prefix)) continue;
    if (query.startOffset !== undefined && name < query.startOffset) continue;
    if (query.endOffset !== undefined && name >= query.endOffset) continue;
    const key = keyOf(name, query);
    if (query.after !== undefined && key <= query.after) continue;
    if (key === last) continue;
    if (items.length + prefixes.length === query.maxResults) {
      return { items, prefixes, ...(last === undefined ? {} : { next: last }) };
    }
    if (key === name) items.push(object);
    else prefixes.push(key);
    last = key;
  }
  return { items, prefixes };
}

function keyOf(name: string, query: ListQuery): string {
  if (query.delimiter === '') return name;
  const at = name.indexOf(query.delimiter, query.prefix.length);
  return at === -1 ? name : name.slice(0, at + query.delimiter.length);
}
