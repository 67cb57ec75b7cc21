import { pipeline } from 'node:stream/promises';

import type { ByteRange } from '../backend/storage-backend.js';
import { gcsErrors } from '../model/gcs-error.js';
import type { ObjectRecord } from '../model/records.js';
import type { GcsRequest } from './gcs-request.js';
import { etagOf } from './resources.js';

/**
 * Streams an object's bytes (`alt=media`), whole or one `Range`, with the headers the client
 * validates downloads against (`x-goog-hash`, `x-goog-stored-content-encoding`).
 */
export async function sendMedia(ctx: GcsRequest, object: ObjectRecord): Promise<void> {
  const range = parseRange(ctx.request.headers.range, object.size);
  const headers: Record<string, string | number> = {
    'content-type': object.contentType ?? 'application/octet-stream',
    'accept-ranges': 'bytes',
    etag: etagOf(object),
    'last-modified': new Date(object.updated).toUTCString(),
    'x-goog-generation': String(object.generation),
    'x-goog-metageneration': String(object.metageneration),
    'x-goog-hash': `crc32c=${object.crc32c},md5=${object.md5Hash}`,
    'x-goog-stored-content-encoding': object.contentEncoding ?? 'identity',
    'x-goog-stored-content-length': String(object.size),
    ...(object.contentDisposition === undefined ? {} : { 'content-disposition': object.contentDisposition }),
    ...(object.cacheControl === undefined ? {} : { 'cache-control': object.cacheControl }),
    ...(object.contentEncoding === undefined ? {} : { 'content-encoding': object.contentEncoding }),
  };
  if (range === undefined) {
    ctx.response.writeHead(200, { ...headers, 'content-length': object.size });
  } else {
    ctx.response.writeHead(206, {
      ...headers,
      'content-length': range.end - range.start + 1,
      'content-range': `bytes ${range.start}-${range.end}/${object.size}`,
    });
  }
  if (ctx.method === 'HEAD' || object.size === 0) {
    ctx.response.end();
    return;
  }
  await pipeline(ctx.catalog.backend.openRead(object.blobId, range), ctx.response);
}

/** One byte range (`bytes=a-b`, `bytes=a-`, `bytes=-n`); undefined means the whole object. */
export function parseRange(header: string | undefined, size: number): ByteRange | undefined {
  if (header === undefined) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (match === null) return undefined;
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return undefined;
  if (size === 0) return undefined;
  if (first === '') {
    const length = Math.min(Number(last), size);
    if (length === 0) throw gcsErrors.rangeNotSatisfiable();
    return { start: size - length, end: size - 1 };
  }
  const start = Number(first);
  if (start >= size) throw gcsErrors.rangeNotSatisfiable();
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (end < start) return undefined;
  return { start, end };
}
