import type { BucketRecord, ObjectRecord } from '../model/records.js';

/** The bucket resource of the JSON API. */
export function bucketResource(bucket: BucketRecord, baseUrl: string): Record<string, unknown> {
  return {
    kind: 'storage#bucket',
    id: bucket.name,
    selfLink: `${baseUrl}/storage/v1/b/${encodeURIComponent(bucket.name)}`,
    projectNumber: '0',
    name: bucket.name,
    timeCreated: bucket.timeCreated,
    updated: bucket.updated,
    metageneration: String(bucket.metageneration),
    location: bucket.location,
    locationType: 'region',
    storageClass: bucket.storageClass,
    etag: 'CAE=',
    ...(Object.keys(bucket.labels).length > 0 ? { labels: bucket.labels } : {}),
  };
}

/** The object resource of the JSON API (numbers that are int64 in the API are strings). */
export function objectResource(object: ObjectRecord, baseUrl: string): Record<string, unknown> {
  const bucket = encodeURIComponent(object.bucket);
  const name = encodeURIComponent(object.name);
  const generation = String(object.generation);
  return {
    kind: 'storage#object',
    id: `${object.bucket}/${object.name}/${generation}`,
    selfLink: `${baseUrl}/storage/v1/b/${bucket}/o/${name}`,
    mediaLink: `${baseUrl}/download/storage/v1/b/${bucket}/o/${name}?generation=${generation}&alt=media`,
    name: object.name,
    bucket: object.bucket,
    generation,
    metageneration: String(object.metageneration),
    contentType: object.contentType ?? 'application/octet-stream',
    storageClass: 'STANDARD',
    size: String(object.size),
    md5Hash: object.md5Hash,
    crc32c: object.crc32c,
    etag: etagOf(object),
    timeCreated: object.timeCreated,
    updated: object.updated,
    timeStorageClassUpdated: object.timeCreated,
    ...optional('contentEncoding', object.contentEncoding),
    ...optional('contentDisposition', object.contentDisposition),
    ...optional('contentLanguage', object.contentLanguage),
    ...optional('cacheControl', object.cacheControl),
    ...optional('componentCount', object.componentCount),
    ...(object.metadata !== undefined && Object.keys(object.metadata).length > 0
      ? { metadata: object.metadata }
      : {}),
  };
}

export function etagOf(object: ObjectRecord): string {
  return Buffer.from(`${object.generation}/${object.metageneration}`).toString('base64');
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}
