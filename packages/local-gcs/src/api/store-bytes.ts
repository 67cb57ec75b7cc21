import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import type { StorageBackend } from '../backend/storage-backend.js';
import { ObjectHasher, type ObjectDigest } from '../hashing/object-hasher.js';

export interface StoredBytes {
  readonly blobId: string;
  readonly digest: ObjectDigest;
}

/**
 * Streams sources one after another into a new blob, hashing as the bytes pass, and commits
 * it. Nothing is kept in memory beyond the streams' own buffers.
 */
export async function storeBytes(
  backend: StorageBackend,
  sources: Iterable<() => Readable>,
): Promise<StoredBytes> {
  const draft = await backend.createDraft();
  const hasher = new ObjectHasher();
  try {
    for (const open of sources) {
      await pipeline(open(), hasher.tap(), draft.segment());
    }
    return { blobId: await draft.commit(), digest: hasher.digest() };
  } catch (error) {
    await draft.discard();
    throw error;
  }
}
