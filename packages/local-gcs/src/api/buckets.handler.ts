import { gcsErrors } from '../model/gcs-error.js';
import type { GcsRequest } from './gcs-request.js';
import { readJson, sendEmpty, sendJson } from './http-io.js';
import { bucketResource } from './resources.js';

const bucketName = /^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/;

export async function createBucket(ctx: GcsRequest): Promise<void> {
  const body = await readJson(ctx.request);
  const name = body['name'];
  if (typeof name !== 'string' || !bucketName.test(name)) throw gcsErrors.badRequest('Invalid bucket name.');
  const labels = isStringRecord(body['labels']) ? body['labels'] : {};
  const bucket = await ctx.catalog.createBucket(name, {
    location: typeof body['location'] === 'string' ? body['location'].toUpperCase() : 'US',
    storageClass: typeof body['storageClass'] === 'string' ? body['storageClass'] : 'STANDARD',
    labels,
  });
  sendJson(ctx.response, 200, bucketResource(bucket, ctx.baseUrl));
}

export function getBucket(ctx: GcsRequest, name: string): void {
  sendJson(ctx.response, 200, bucketResource(ctx.catalog.bucket(name), ctx.baseUrl));
}

export function listBuckets(ctx: GcsRequest): void {
  const prefix = ctx.query.get('prefix') ?? '';
  const items = ctx.catalog
    .buckets()
    .filter((bucket) => bucket.name.startsWith(prefix))
    .map((bucket) => bucketResource(bucket, ctx.baseUrl));
  sendJson(ctx.response, 200, { kind: 'storage#buckets', ...(items.length > 0 ? { items } : {}) });
}

export async function deleteBucket(ctx: GcsRequest, name: string): Promise<void> {
  await ctx.catalog.deleteBucket(name);
  sendEmpty(ctx.response, 204);
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.values(value as Record<string, unknown>).every((entry) => typeof entry === 'string')
  );
}
