import { invalidArgument } from '../model/pubsub-error.js';

/** Pages a name-sorted list the way List* RPCs do: the token is the offset of the next page. */
export function page<T>(
  items: readonly T[],
  pageSize: number | undefined,
  pageToken: string | undefined,
): { items: T[]; nextPageToken: string } {
  const start = pageToken ? Number(pageToken) : 0;
  if (!Number.isInteger(start) || start < 0) throw invalidArgument(`Invalid page_token: ${pageToken ?? ''}`);
  const size = pageSize && pageSize > 0 ? pageSize : 1000;
  const end = start + size;
  return { items: items.slice(start, end), nextPageToken: end < items.length ? String(end) : '' };
}
