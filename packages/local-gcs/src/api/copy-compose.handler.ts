import { gcsErrors } from '../model/gcs-error.js';
import { preconditionsFrom, preconditionsHold } from '../model/preconditions.js';
import type { ObjectMetadataFields, ObjectRecord } from '../model/records.js';
import { integerParam, type GcsRequest } from './gcs-request.js';
import { readJson, sendJson } from './http-io.js';
import { objectFieldsFrom } from './object-fields.js';
import { objectResource } from './resources.js';
import { storeBytes } from './store-bytes.js';

export interface CopyRoute {
  readonly sourceBucket: string;
  readonly sourceName: string;
  readonly bucket: string;
  readonly name: string;
  /** `rewriteTo` answers a rewrite response, `copyTo` the object itself. */
  readonly rewrite: boolean;
}

/** objects.copy and objects.rewrite (always done in one call). */
export async function copyObject(ctx: GcsRequest, route: CopyRoute): Promise<void> {
  const source = ctx.catalog.object(
    route.sourceBucket,
    route.sourceName,
    integerParam(ctx.query, 'sourceGeneration'),
  );
  if (!preconditionsHold(source, preconditionsFrom(ctx.query, 'ifSource')))
    throw gcsErrors.preconditionFailed();
  ctx.catalog.bucket(route.bucket);
  const body = await readJson(ctx.request);
  const conditions = preconditionsFrom(ctx.query);
  const fields: ObjectMetadataFields = { ...metadataOf(source), ...objectFieldsFrom(body, source.metadata) };
  const { blobId, digest } = await storeBytes(ctx.catalog.backend, [
    () => ctx.catalog.backend.openRead(source.blobId),
  ]);
  const object = await ctx.catalog.putObject(
    { bucket: route.bucket, name: route.name, ...fields, blobId, digest },
    conditions,
  );
  const resource = objectResource(object, ctx.baseUrl);
  if (!route.rewrite) {
    sendJson(ctx.response, 200, resource);
    return;
  }
  sendJson(ctx.response, 200, {
    kind: 'storage#rewriteResponse',
    totalBytesRewritten: String(object.size),
    objectSize: String(object.size),
    done: true,
    resource,
  });
}

const maxComposeSources = 32;

/** objects.compose: the sources' bytes, in order, as a new object. */
export async function composeObject(ctx: GcsRequest, bucket: string, name: string): Promise<void> {
  const body = await readJson(ctx.request);
  const sources = sourceObjects(ctx, bucket, body['sourceObjects']);
  const destination = body['destination'];
  const fields = objectFieldsFrom(
    typeof destination === 'object' && destination !== null ? (destination as Record<string, unknown>) : {},
  );
  const { blobId, digest } = await storeBytes(
    ctx.catalog.backend,
    sources.map((source) => () => ctx.catalog.backend.openRead(source.blobId)),
  );
  const componentCount = sources.reduce((count, source) => count + (source.componentCount ?? 1), 0);
  const object = await ctx.catalog.putObject(
    { bucket, name, ...fields, blobId, digest, componentCount },
    preconditionsFrom(ctx.query),
  );
  sendJson(ctx.response, 200, objectResource(object, ctx.baseUrl));
}

function sourceObjects(ctx: GcsRequest, bucket: string, value: unknown): ObjectRecord[] {
  if (!Array.isArray(value) || value.length === 0)
    throw gcsErrors.badRequest('Required parameter: sourceObjects');
  if (value.length > maxComposeSources) {
    throw gcsErrors.badRequest(
      `The number of source components provided (${value.length}) exceeds the maximum (${maxComposeSources}).`,
    );
  }
  return value.map((entry: unknown) => {
    const source = (entry ?? {}) as {
      name?: unknown;
      generation?: unknown;
      objectPreconditions?: { ifGenerationMatch?: unknown };
    };
    if (typeof source.name !== 'string')
      throw gcsErrors.badRequest('Required parameter: sourceObjects[].name');
    const generation = source.generation === undefined ? undefined : Number(source.generation);
    const object = ctx.catalog.object(bucket, source.name, generation);
    const ifGenerationMatch = source.objectPreconditions?.ifGenerationMatch;
    if (ifGenerationMatch !== undefined && Number(ifGenerationMatch) !== object.generation) {
      throw gcsErrors.preconditionFailed();
    }
    return object;
  });
}

function metadataOf(object: ObjectRecord): ObjectMetadataFields {
  const { contentType, contentEncoding, contentDisposition, contentLanguage, cacheControl, metadata } =
    object;
  return Object.fromEntries(
    Object.entries({
      contentType,
      contentEncoding,
      contentDisposition,
      contentLanguage,
      cacheControl,
      metadata,
    }).filter(([, value]) => value !== undefined),
  );
}
