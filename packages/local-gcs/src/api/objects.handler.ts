import { preconditionsFrom, preconditionsHold } from '../model/preconditions.js';
import { gcsErrors } from '../model/gcs-error.js';
import { sendMedia } from './download.js';
import { integerParam, type GcsRequest } from './gcs-request.js';
import { readJson, sendEmpty, sendJson } from './http-io.js';
import { objectFieldsFrom } from './object-fields.js';
import { objectResource } from './resources.js';

/** objects.get: metadata, or the bytes with `alt=media`. */
export async function getObject(
  ctx: GcsRequest,
  bucket: string,
  name: string,
  media: boolean,
): Promise<void> {
  const object = ctx.catalog.object(bucket, name, integerParam(ctx.query, 'generation'));
  const conditions = preconditionsFrom(ctx.query);
  if (!preconditionsHold(object, conditions)) {
    const notModified =
      conditions.ifGenerationMatch === undefined &&
      conditions.ifMetagenerationMatch === undefined &&
      (conditions.ifGenerationNotMatch !== undefined || conditions.ifMetagenerationNotMatch !== undefined);
    if (notModified) {
      sendEmpty(ctx.response, 304);
      return;
    }
    throw gcsErrors.preconditionFailed();
  }
  if (media || ctx.query.get('alt') === 'media') {
    await sendMedia(ctx, object);
    return;
  }
  sendJson(ctx.response, 200, objectResource(object, ctx.baseUrl));
}

/** objects.patch (and objects.update, treated as a patch of the writable fields). */
export async function patchObject(ctx: GcsRequest, bucket: string, name: string): Promise<void> {
  const generation = integerParam(ctx.query, 'generation');
  const current = ctx.catalog.object(bucket, name, generation);
  const body = await readJson(ctx.request);
  const updated = await ctx.catalog.patchObject(
    bucket,
    name,
    objectFieldsFrom(body, current.metadata),
    preconditionsFrom(ctx.query),
    generation,
  );
  sendJson(ctx.response, 200, objectResource(updated, ctx.baseUrl));
}

export async function deleteObject(ctx: GcsRequest, bucket: string, name: string): Promise<void> {
  await ctx.catalog.deleteObject(
    bucket,
    name,
    preconditionsFrom(ctx.query),
    integerParam(ctx.query, 'generation'),
  );
  sendEmpty(ctx.response, 204);
}

/** objects.list with prefix, delimiter, startOffset/endOffset and pagination. */
export function listObjects(ctx: GcsRequest, bucket: string): void {
  const { query } = ctx;
  if (query.get('versions') === 'true') throw gcsErrors.notEmulated('objects.list with versions=true');
  if (query.has('matchGlob')) throw gcsErrors.notEmulated('objects.list with matchGlob');
  const pageToken = query.get('pageToken');
  const maxResults = Math.min(integerParam(query, 'maxResults') ?? 1000, 1000);
  const startOffset = query.get('startOffset');
  const endOffset = query.get('endOffset');
  const page = ctx.catalog.list(bucket, {
    prefix: query.get('prefix') ?? '',
    delimiter: query.get('delimiter') ?? '',
    maxResults: maxResults === 0 ? 1000 : maxResults,
    ...(pageToken ? { after: Buffer.from(pageToken, 'base64url').toString('utf8') } : {}),
    ...(startOffset ? { startOffset } : {}),
    ...(endOffset ? { endOffset } : {}),
  });
  sendJson(ctx.response, 200, {
    kind: 'storage#objects',
    ...(page.next === undefined ? {} : { nextPageToken: Buffer.from(page.next).toString('base64url') }),
    ...(page.prefixes.length > 0 ? { prefixes: page.prefixes } : {}),
    ...(page.items.length > 0
      ? { items: page.items.map((object) => objectResource(object, ctx.baseUrl)) }
      : {}),
  });
}
