/** What a `Content-Range` header of a resumable upload PUT says. */
export type ContentRange =
  | { readonly kind: 'status'; readonly total?: number }
  | { readonly kind: 'data'; readonly start: number; readonly end?: number; readonly total?: number };

// Parses the status queries `bytes */*` and `bytes */N`, the chunks `bytes A-B/N` and
// `bytes A-B/*`, and the client's open-ended single request `bytes A-*/N`. A missing header
// means "all of it, in this request".
export function parseContentRange(header: string | undefined): ContentRange | undefined {
  if (header === undefined || header.trim() === '') return { kind: 'data', start: 0 };
  const match = /^bytes\s+(?:\*|(\d+)-(\d+|\*))\/(\d+|\*)$/.exec(header.trim());
  if (match === null) return undefined;
  const [, start, end, total] = match;
  const totalValue = total === '*' || total === undefined ? {} : { total: Number(total) };
  if (start === undefined) return { kind: 'status', ...totalValue };
  return {
    kind: 'data',
    start: Number(start),
    ...(end === '*' || end === undefined ? {} : { end: Number(end) }),
    ...totalValue,
  };
}
