import { gcsErrors } from '../model/gcs-error.js';
import type { ObjectMetadataFields } from '../model/records.js';

const stringFields = [
  'contentType',
  'contentEncoding',
  'contentDisposition',
  'contentLanguage',
  'cacheControl',
] as const;

/**
 * The writable object fields of a request body. `current` custom metadata is merged with the
 * patch (a `null` value removes a key), as objects.patch does.
 */
export function objectFieldsFrom(
  body: Record<string, unknown>,
  current: Readonly<Record<string, string>> | undefined = undefined,
): ObjectMetadataFields {
  const fields: Record<string, unknown> = {};
  for (const key of stringFields) {
    const value = body[key];
    if (typeof value === 'string') fields[key] = value;
    else if (value === null) fields[key] = undefined;
    else if (value !== undefined) throw gcsErrors.badRequest(`Invalid value for ${key}.`);
  }
  if ('metadata' in body) fields['metadata'] = mergeMetadata(current, body['metadata']);
  return fields;
}

function mergeMetadata(
  current: Readonly<Record<string, string>> | undefined,
  patch: unknown,
): Record<string, string> {
  if (patch === null) return {};
  if (typeof patch !== 'object' || Array.isArray(patch))
    throw gcsErrors.badRequest('Invalid value for metadata.');
  const merged: Record<string, string> = { ...current };
  for (const [key, value] of Object.entries(patch as Record<string, unknown>)) {
    if (value === null) delete merged[key];
    else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      merged[key] = String(value);
    else throw gcsErrors.badRequest(`Invalid value for metadata.${key}.`);
  }
  return merged;
}
