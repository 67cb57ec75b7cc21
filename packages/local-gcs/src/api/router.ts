import type { IncomingMessage, ServerResponse } from 'node:http';

import type { Catalog } from '../model/catalog.js';
import { GcsError, gcsErrors } from '../model/gcs-error.js';
import { createBucket, deleteBucket, getBucket, listBuckets } from './buckets.handler.js';
import { composeObject, copyObject } from './copy-compose.handler.js';
import type { GcsRequest } from './gcs-request.js';
import { drain, sendJson } from './http-io.js';
import { deleteObject, getObject, listObjects, patchObject } from './objects.handler.js';
import type { ResumableSessions } from './resumable-sessions.js';
import { startUpload } from './uploads.handler.js';

/**
 * Routes JSON API requests. Paths are accepted with or without the `/storage/v1` prefix
 * (`STORAGE_EMULATOR_HOST` makes the client drop it), under `/upload` for uploads and under
 * `/download` for media links. Anything else answers 501 naming what is not emulated.
 */
export function createRouter(catalog: Catalog, sessions: ResumableSessions) {
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://local');
    const ctx: GcsRequest = {
      request,
      response,
      method: request.method ?? 'GET',
      query: url.searchParams,
      baseUrl: `http://${request.headers.host ?? 'localhost'}`,
      catalog,
    };
    try {
      await dispatch(ctx, sessions, url.pathname.split('/').slice(1));
    } catch (error) {
      await answerError(ctx, error);
    }
  };
}

async function dispatch(ctx: GcsRequest, sessions: ResumableSessions, raw: string[]): Promise<void> {
  let segments = raw.filter((segment, index) => segment !== '' || index < raw.length - 1);
  const area = segments[0] === 'upload' || segments[0] === 'download' ? segments[0] : undefined;
  if (area !== undefined) segments = segments.slice(1);
  if (segments[0] === 'storage' && segments[1] === 'v1') segments = segments.slice(2);
  const [root, bucket, o, ...rest] = segments.map(decodeSegment);
  const { method } = ctx;
  if (root !== 'b') throw notEmulated(ctx);
  if (bucket === undefined) {
    if (method === 'GET') return listBuckets(ctx);
    if (method === 'POST') return createBucket(ctx);
    throw notEmulated(ctx);
  }
  if (o === undefined) {
    if (method === 'GET') return getBucket(ctx, bucket);
    if (method === 'DELETE') return deleteBucket(ctx, bucket);
    throw notEmulated(ctx);
  }
  if (o !== 'o') throw notEmulated(ctx);
  if (rest.length === 0) {
    if (area === 'upload' && method === 'POST') return startUpload(ctx, sessions, bucket);
    const uploadId = ctx.query.get('upload_id');
    if (area === 'upload' && uploadId !== null && method === 'PUT') return sessions.put(ctx, uploadId);
    if (area === 'upload' && uploadId !== null && method === 'DELETE') return sessions.cancel(ctx, uploadId);
    if (area === undefined && method === 'GET') return listObjects(ctx, bucket);
    throw notEmulated(ctx);
  }
  const copyAt = rest.findIndex(
    (segment, index) =>
      (segment === 'copyTo' || segment === 'rewriteTo') && rest[index + 1] === 'b' && rest[index + 3] === 'o',
  );
  if (copyAt > 0 && method === 'POST') {
    return copyObject(ctx, {
      sourceBucket: bucket,
      sourceName: rest.slice(0, copyAt).join('/'),
      bucket: rest[copyAt + 2] ?? '',
      name: rest.slice(copyAt + 4).join('/'),
      rewrite: rest[copyAt] === 'rewriteTo',
    });
  }
  if (rest.length > 1 && rest.at(-1) === 'compose' && method === 'POST') {
    return composeObject(ctx, bucket, rest.slice(0, -1).join('/'));
  }
  const name = rest.join('/');
  if (method === 'GET' || method === 'HEAD') return getObject(ctx, bucket, name, area === 'download');
  if (method === 'PATCH' || method === 'PUT') return patchObject(ctx, bucket, name);
  if (method === 'DELETE') return deleteObject(ctx, bucket, name);
  throw notEmulated(ctx);
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw gcsErrors.badRequest('Invalid percent-encoding in the path.');
  }
}

function notEmulated(ctx: GcsRequest): GcsError {
  const path = new URL(ctx.request.url ?? '/', 'http://local').pathname;
  return gcsErrors.notEmulated(`${ctx.method} ${path}`);
}

async function answerError(ctx: GcsRequest, error: unknown): Promise<void> {
  const { response } = ctx;
  if (response.headersSent) {
    response.destroy(error instanceof Error ? error : undefined);
    return;
  }
  const answer =
    error instanceof GcsError
      ? error
      : error instanceof RangeError
        ? gcsErrors.badRequest(error.message)
        : new GcsError(500, 'backendError', error instanceof Error ? error.message : 'Internal error');
  await drain(ctx.request).catch(() => undefined);
  sendJson(response, answer.status, answer.toJson());
}
