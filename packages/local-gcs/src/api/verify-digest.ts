import type { ObjectDigest } from '../hashing/object-hasher.js';
import { gcsErrors } from '../model/gcs-error.js';

export interface ExpectedDigest {
  readonly crc32c?: string;
  readonly md5Hash?: string;
}

/** Hashes a client declared, from the `x-goog-hash` header and/or the metadata body. */
export function expectedDigest(
  hashHeader: string | string[] | undefined,
  metadata: Record<string, unknown> = {},
): ExpectedDigest {
  const expected: { crc32c?: string; md5Hash?: string } = {};
  if (typeof metadata['crc32c'] === 'string') expected.crc32c = metadata['crc32c'];
  if (typeof metadata['md5Hash'] === 'string') expected.md5Hash = metadata['md5Hash'];
  const values = Array.isArray(hashHeader) ? hashHeader : hashHeader === undefined ? [] : [hashHeader];
  for (const pair of values.flatMap((value) => value.split(','))) {
    const at = pair.indexOf('=');
    const kind = pair.slice(0, at).trim().toLowerCase();
    const value = pair.slice(at + 1).trim();
    if (kind === 'crc32c') expected.crc32c = value;
    if (kind === 'md5') expected.md5Hash = value;
  }
  return expected;
}

/** Rejects an upload whose bytes do not match what the client said it sent (400, as the API). */
export function verifyDigest(digest: ObjectDigest, expected: ExpectedDigest): void {
  if (expected.crc32c !== undefined && expected.crc32c !== digest.crc32c) {
    throw gcsErrors.badRequest(
      `Provided CRC32C "${expected.crc32c}" doesn't match calculated CRC32C "${digest.crc32c}".`,
    );
  }
  if (expected.md5Hash !== undefined && expected.md5Hash !== digest.md5Hash) {
    throw gcsErrors.badRequest(
      `Provided MD5 hash "${expected.md5Hash}" doesn't match calculated MD5 hash "${digest.md5Hash}".`,
    );
  }
}
