import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';

import { describe, expect, it } from '@jest/globals';

import { isAppError } from '@bq-sftp-export/runtime';

import type { BlobRef, BlobStore } from '../ports/blob-store.js';

/**
 * The behaviour every BlobStore must have, run against the in-memory fake and against Cloud
 * Storage (the local cloud's, through the real client), so the fake cannot drift from the real one.
 */
export function describeBlobStoreContract(
  name: string,
  open: () => { store: BlobStore; bucket: string },
): void {
  describe(`BlobStore contract: ${name}`, () => {
    let seq = 0;
    const fresh = (): { store: BlobStore; ref: BlobRef } => {
      const { store, bucket } = open();
      return { store, ref: { bucket, name: `contract/${Date.now()}-${++seq}/object.bin` } };
    };

    it('stat of a missing object is undefined', async () => {
      const { store, ref } = fresh();
      await expect(store.stat(ref)).resolves.toBeUndefined();
    });

    it('creates from a stream, once: a second create reports the existing object untouched', async () => {
      const { store, ref } = fresh();
      const payload = randomBytes(300_000);
      const created = await store.createFromStream(
        ref,
        Readable.from([payload.subarray(0, 1000), payload.subarray(1000)]),
        {
          contentType: 'text/csv',
          metadata: { rows: '42' },
        },
      );
      expect(created.kind).toBe('created');
      expect(created.metadata.size).toBe(payload.length);
      expect(created.metadata.metadata).toEqual({ rows: '42' });
      expect(created.metadata.md5Hash).toBe(createHash('md5').update(payload).digest('base64'));

      const again = await store.createFromStream(ref, Readable.from([Buffer.from('other content')]));
      expect(again.kind).toBe('exists');
      expect(again.metadata.generation).toBe(created.metadata.generation);

      const chunks: Buffer[] = [];
      for await (const chunk of store.openRead(ref, { generation: created.metadata.generation })) {
        chunks.push(Buffer.from(chunk as Uint8Array));
      }
      expect(Buffer.concat(chunks).equals(payload)).toBe(true);
    });

    it('reading a missing object fails with BLOB_NOT_FOUND', async () => {
      const { store, ref } = fresh();
      const error = await text(store.openRead(ref)).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isAppError(error) && error.code).toBe('BLOB_NOT_FOUND');
    });

    it('patches custom metadata', async () => {
      const { store, ref } = fresh();
      await store.createFromStream(ref, Readable.from([Buffer.from('x')]), { metadata: { a: '1' } });
      const patched = await store.patchMetadata(ref, { sha256: 'abc' });
      expect(patched.metadata).toEqual({ a: '1', sha256: 'abc' });
      expect((await store.stat(ref))?.metadata).toEqual({ a: '1', sha256: 'abc' });
    });

    it('compare-and-swaps JSON documents on their generation', async () => {
      const { store, ref } = fresh();
      await expect(store.readJson(ref)).resolves.toBeUndefined();
      const first = await store.writeJson(ref, { high: 1 }, '0');
      expect(first.kind).toBe('written');
      const generation = first.kind === 'written' ? first.generation : '';
      await expect(store.writeJson(ref, { high: 2 }, '0')).resolves.toEqual({ kind: 'conflict' });
      await expect(store.readJson(ref)).resolves.toEqual({ value: { high: 1 }, generation });
      const second = await store.writeJson(ref, { high: 3 }, generation);
      expect(second.kind).toBe('written');
      await expect(store.writeJson(ref, { high: 4 }, generation)).resolves.toEqual({ kind: 'conflict' });
      expect((await store.readJson(ref))?.value).toEqual({ high: 3 });
    });

    it('lets exactly one of two concurrent creators win', async () => {
      const { store, ref } = fresh();
      const results = await Promise.all([
        store.writeJson(ref, { who: 'a' }, '0'),
        store.writeJson(ref, { who: 'b' }, '0'),
      ]);
      expect(results.filter((r) => r.kind === 'written')).toHaveLength(1);
      expect(results.filter((r) => r.kind === 'conflict')).toHaveLength(1);
    });
  });
}
