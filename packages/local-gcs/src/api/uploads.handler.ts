import { gcsErrors } from '../model/gcs-error.js';
import { preconditionsFrom, preconditionsHold } from '../model/preconditions.js';
import type { ObjectMetadataFields } from '../model/records.js';
import type { GcsRequest } from './gcs-request.js';
import { readJson, sendEmpty, sendJson } from './http-io.js';
import { readMultipartUpload } from './multipart-related.js';
import type { ResumableSessions } from './resumable-sessions.js';
import { objectFieldsFrom } from './object-fields.js';
import { objectResource } from './resources.js';
import { storeBytes } from './store-bytes.js';
import { expectedDigest, verifyDigest } from './verify-digest.js';

/** POST to `/upload/storage/v1/b/{bucket}/o`: `uploadType` media, multipart or resumable. */
export async function startUpload(
  ctx: GcsRequest,
  sessions: ResumableSessions,
  bucket: string,
): Promise<void> {
  ctx.catalog.bucket(bucket);
  const uploadType = ctx.query.get('uploadType');
  if (uploadType === 'media') return simpleUpload(ctx, bucket);
  if (uploadType === 'multipart') return multipartUpload(ctx, bucket);
  if (uploadType === 'resumable') return startResumable(ctx, sessions, bucket);
  throw gcsErrors.notEmulated(`uploadType=${uploadType ?? '(none)'}`);
}

async function simpleUpload(ctx: GcsRequest, bucket: string): Promise<void> {
  const name = objectName(ctx, {});
  const contentType = ctx.request.headers['content-type'];
  const fields: ObjectMetadataFields = contentType === undefined ? {} : { contentType };
  await finishUpload(
    ctx,
    bucket,
    name,
    fields,
    () => storeBytes(ctx.catalog.backend, [() => ctx.request]),
    {},
  );
}

async function multipartUpload(ctx: GcsRequest, bucket: string): Promise<void> {
  const upload = await readMultipartUpload(ctx.request);
  const name = objectName(ctx, upload.metadata);
  const fields = objectFieldsFrom(upload.metadata);
  const contentType = fields.contentType ?? upload.mediaType;
  await finishUpload(
    ctx,
    bucket,
    name,
    { ...fields, ...(contentType === undefined ? {} : { contentType }) },
    () => storeBytes(ctx.catalog.backend, [() => upload.media]),
    upload.metadata,
  );
}

async function finishUpload(
  ctx: GcsRequest,
  bucket: string,
  name: string,
  fields: ObjectMetadataFields,
  store: () => ReturnType<typeof storeBytes>,
  metadata: Record<string, unknown>,
): Promise<void> {
  const conditions = preconditionsFrom(ctx.query);
  const { blobId, digest } = await store();
  try {
    verifyDigest(digest, expectedDigest(ctx.request.headers['x-goog-hash'], metadata));
  } catch (error) {
    await ctx.catalog.backend.deleteBlob(blobId);
    throw error;
  }
  const object = await ctx.catalog.putObject({ bucket, name, ...fields, blobId, digest }, conditions);
  sendJson(ctx.response, 200, objectResource(object, ctx.baseUrl));
}

async function startResumable(ctx: GcsRequest, sessions: ResumableSessions, bucket: string): Promise<void> {
  const metadata = await readJson(ctx.request);
  const name = objectName(ctx, metadata);
  const conditions = preconditionsFrom(ctx.query);
  const existing = ctx.catalog.find(bucket, name);
  if (!preconditionsHold(existing, conditions)) throw gcsErrors.preconditionFailed();
  const fields = objectFieldsFrom(metadata);
  const headerType = ctx.request.headers['x-upload-content-type'];
  const contentType = typeof headerType === 'string' ? headerType : fields.contentType;
  const id = await sessions.start({
    bucket,
    name,
    fields: { ...fields, ...(contentType === undefined ? {} : { contentType }) },
    conditions,
    expected: expectedDigest(undefined, metadata),
  });
  const location = new URL(`${ctx.baseUrl}/upload/storage/v1/b/${encodeURIComponent(bucket)}/o`);
  location.searchParams.set('uploadType', 'resumable');
  location.searchParams.set('name', name);
  location.searchParams.set('upload_id', id);
  sendEmpty(ctx.response, 200, { location: location.toString(), 'x-guploader-uploadid': id });
}

function objectName(ctx: GcsRequest, metadata: Record<string, unknown>): string {
  const name = ctx.query.get('name') ?? metadata['name'];
  if (typeof name !== 'string' || name === '') throw gcsErrors.badRequest('Required parameter: name');
  return name;
}
