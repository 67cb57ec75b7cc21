import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { beforeEach, describe, expect, it } from '@jest/globals';
import { CRC32C, type Bucket, type GetFilesOptions, type GetFilesResponse } from '@google-cloud/storage';

import { useLocalGcs } from './testing/use-local-gcs.js';

const preconditionMessage = 'At least one of the pre-conditions you specified did not hold.';

describe('objects through @google-cloud/storage', () => {
  const local = useLocalGcs();
  let bucket: Bucket;

  beforeEach(async () => {
    [bucket] = await local.storage.createBucket('staging');
  });

  describe('uploads and downloads', () => {
    it('saves with a multipart upload and reads back with checksums the client validates', async () => {
      const file = bucket.file('exports/a.csv');
      await file.save('id,name\n1,alpha\n', {
        resumable: false,
        contentType: 'text/csv',
        metadata: { metadata: { runId: 'r1' } },
      });
      const [metadata] = await file.getMetadata();
      expect(metadata.contentType).toBe('text/csv');
      expect(metadata.size).toBe('16');
      expect(metadata.metadata).toEqual({ runId: 'r1' });
      expect(metadata.crc32c).toBe(crc32cOf('id,name\n1,alpha\n'));
      const [bytes] = await file.download({ validation: 'md5' });
      expect(bytes.toString()).toBe('id,name\n1,alpha\n');
      expect((await local.gcs.readObject('staging', 'exports/a.csv')).toString()).toBe('id,name\n1,alpha\n');
    });

    it('splits a multi-megabyte multipart upload correctly across many chunks', async () => {
      const file = bucket.file('multipart/big.bin');
      const content = patterned(5 * 1024 * 1024 + 3);
      await pipeline(
        Readable.from([content.subarray(0, 1_000_000), content.subarray(1_000_000)]),
        file.createWriteStream({ resumable: false, contentType: 'application/x-test' }),
      );
      const [metadata] = await file.getMetadata();
      expect(metadata.contentType).toBe('application/x-test');
      expect(metadata.size).toBe(String(content.length));
      expect((await file.download())[0].equals(content)).toBe(true);
    });

    it('matches the documented CRC32C and MD5 of "hello world"', async () => {
      const [metadata] = await bucket
        .file('hello.txt')
        .save('hello world', { resumable: false })
        .then(() => bucket.file('hello.txt').getMetadata());
      expect(metadata.crc32c).toBe('yZRlqg==');
      expect(metadata.md5Hash).toBe('XrY7u+Ae7tCTyyK7j1rNww==');
    });

    it('saves with a single-request resumable upload', async () => {
      const file = bucket.file('resumable/one.bin');
      const content = patterned(700_000);
      await file.save(content, { resumable: true, contentType: 'application/octet-stream' });
      const [bytes] = await file.download();
      expect(bytes.equals(content)).toBe(true);
    });

    it('uploads in chunks, resuming from the server-reported Range after each 308', async () => {
      const file = bucket.file('resumable/chunked.bin');
      const content = patterned(256 * 1024 * 3 + 1234);
      await new Promise<void>((resolve, reject) => {
        const stream = file.createWriteStream({ resumable: true, chunkSize: 256 * 1024 });
        stream.on('error', reject).on('finish', resolve);
        for (let offset = 0; offset < content.length; offset += 100_000) {
          stream.write(content.subarray(offset, offset + 100_000));
        }
        stream.end();
      });
      const [bytes] = await file.download();
      expect(bytes.equals(content)).toBe(true);
      expect(local.gcs.listObjects('staging').map((object) => object.size)).toEqual([content.length]);
    });

    it('resumes an interrupted upload through its session URI, asking the server how far it got', async () => {
      const file = bucket.file('resumable/resumed.bin');
      const content = patterned(256 * 1024 * 4 + 77);
      const [uri] = await file.createResumableUpload();
      const firstHalf = content.subarray(0, 256 * 1024 * 2);
      await pipeline(
        Readable.from([firstHalf]),
        file.createWriteStream({ uri, isPartialUpload: true, chunkSize: 256 * 1024, validation: false }),
      );
      expect((await file.exists())[0]).toBe(false);
      await pipeline(Readable.from([content]), file.createWriteStream({ uri, chunkSize: 256 * 1024 }));
      const [bytes] = await file.download();
      expect(bytes.equals(content)).toBe(true);
    });

    it('stores an empty object', async () => {
      await bucket.file('empty').save('', { resumable: false });
      const [bytes] = await bucket.file('empty').download();
      expect(bytes.length).toBe(0);
      const [metadata] = await bucket.file('empty').getMetadata();
      expect(metadata.crc32c).toBe('AAAAAA==');
    });

    it('reads byte ranges: bounded, open-ended and from the tail', async () => {
      const file = bucket.file('range.txt');
      await file.save('0123456789abcdef', { resumable: false });
      expect((await file.download({ start: 2, end: 5 }))[0].toString()).toBe('2345');
      expect((await file.download({ start: 10 }))[0].toString()).toBe('abcdef');
      expect((await file.download({ end: -3 }))[0].toString()).toBe('def');
      expect((await file.download({ start: 14, end: 100 }))[0].toString()).toBe('ef');
    });

    it('answers 404 in the API shape for a missing object', async () => {
      const error = await failure(bucket.file('missing.csv').download());
      expect(error.code).toBe(404);
      expect(error.message).toContain('No such object: staging/missing.csv');
      const [exists] = await bucket.file('missing.csv').exists();
      expect(exists).toBe(false);
    });
  });

  describe('generations and preconditions', () => {
    it('rejects ifGenerationMatch 0 on an existing object with 412, for every upload type', async () => {
      const file = bucket.file('checkpoint.json');
      await file.save('{"v":1}', { resumable: false, preconditionOpts: { ifGenerationMatch: 0 } });
      for (const resumable of [false, true]) {
        const error = await failure(
          file.save('{"v":2}', { resumable, preconditionOpts: { ifGenerationMatch: 0 } }),
        );
        expect(error.code).toBe(412);
      }
      expect((await file.download())[0].toString()).toBe('{"v":1}');
    });

    it('compares and swaps on the generation, rejecting a stale one', async () => {
      const file = bucket.file('checkpoint.json');
      await file.save('{"v":1}', { resumable: false });
      const [first] = await file.getMetadata();
      await file.save('{"v":2}', {
        resumable: false,
        preconditionOpts: { ifGenerationMatch: Number(first.generation) },
      });
      const [second] = await file.getMetadata();
      expect(BigInt(second.generation!)).toBeGreaterThan(BigInt(first.generation!));
      expect(second.metageneration).toBe('1');

      const stale = await failure(
        file.save('{"v":3}', {
          resumable: false,
          preconditionOpts: { ifGenerationMatch: Number(first.generation) },
        }),
      );
      expect(stale.code).toBe(412);
      expect(stale.message).toBe(preconditionMessage);
      expect((await file.download())[0].toString()).toBe('{"v":2}');
    });

    it('applies ifGenerationNotMatch and ifMetagenerationMatch', async () => {
      const file = bucket.file('obj');
      await file.save('x', { resumable: false });
      const [metadata] = await file.getMetadata();
      const generation = Number(metadata.generation);
      const notMatch = await failure(
        file.save('y', { resumable: false, preconditionOpts: { ifGenerationNotMatch: generation } }),
      );
      expect(notMatch.code).toBe(412);
      const metaStale = await failure(
        file.setMetadata({ contentType: 'text/plain' }, { ifMetagenerationMatch: 7 }),
      );
      expect(metaStale.code).toBe(412);
      await file.setMetadata({ contentType: 'text/plain' }, { ifMetagenerationMatch: 1 });
      const [patched] = await file.getMetadata();
      expect(patched.metageneration).toBe('2');
      expect(patched.generation).toBe(metadata.generation);
    });

    it('deletes only when the generation precondition holds', async () => {
      const file = bucket.file('gone.txt');
      await file.save('bye', { resumable: false });
      const [metadata] = await file.getMetadata();
      const stale = await failure(file.delete({ ifGenerationMatch: Number(metadata.generation) + 1 }));
      expect(stale.code).toBe(412);
      await file.delete({ ifGenerationMatch: Number(metadata.generation) });
      expect((await file.exists())[0]).toBe(false);
      expect((await failure(file.delete())).code).toBe(404);
    });
  });

  describe('metadata', () => {
    it('patches custom metadata (null removes a key) and the content type', async () => {
      const file = bucket.file('meta.txt');
      await file.save('m', { resumable: false, metadata: { metadata: { a: '1', b: '2' } } });
      await file.setMetadata({ contentType: 'text/markdown', metadata: { b: null, c: '3' } });
      const [metadata] = await file.getMetadata();
      expect(metadata.contentType).toBe('text/markdown');
      expect(metadata.metadata).toEqual({ a: '1', c: '3' });
      expect(local.gcs.listObjects('staging')[0]?.metadata).toEqual({ a: '1', c: '3' });
    });
  });

  describe('listing', () => {
    beforeEach(async () => {
      const names = ['a/1.csv', 'a/2.csv', 'a/sub/3.csv', 'b/4.csv', 'c.csv', 'd.csv'];
      await Promise.all(names.map((name) => bucket.file(name).save(name, { resumable: false })));
    });

    it('lists everything, sorted', async () => {
      const [files] = await bucket.getFiles();
      expect(files.map((file) => file.name)).toEqual([
        'a/1.csv',
        'a/2.csv',
        'a/sub/3.csv',
        'b/4.csv',
        'c.csv',
        'd.csv',
      ]);
    });

    it('filters by prefix and rolls names up into prefixes at the delimiter', async () => {
      const [files, , response] = await bucket.getFiles({ delimiter: '/', autoPaginate: false });
      expect(files.map((file) => file.name)).toEqual(['c.csv', 'd.csv']);
      expect((response as { prefixes?: string[] }).prefixes).toEqual(['a/', 'b/']);
      const [inA, , responseA] = await bucket.getFiles({ prefix: 'a/', delimiter: '/', autoPaginate: false });
      expect(inA.map((file) => file.name)).toEqual(['a/1.csv', 'a/2.csv']);
      expect((responseA as { prefixes?: string[] }).prefixes).toEqual(['a/sub/']);
    });

    it('pages with maxResults and pageToken', async () => {
      const pages: string[][] = [];
      let query: GetFilesOptions | null = { maxResults: 3, delimiter: '/', autoPaginate: false };
      while (query !== null) {
        const [files, next, response]: GetFilesResponse = await bucket.getFiles(query);
        pages.push([
          ...files.map((file) => file.name),
          ...((response as { prefixes?: string[] }).prefixes ?? []),
        ]);
        // The client answers null (typed as {}) after the last page.
        query = next;
      }
      expect(pages).toEqual([['c.csv', 'a/', 'b/'], ['d.csv']]);
      const [all] = await bucket.getFiles({ maxResults: 2 });
      expect(all).toHaveLength(2);
      const [everything] = await bucket.getFiles({ autoPaginate: true, maxApiCalls: 10 });
      expect(everything).toHaveLength(6);
    });
  });

  describe('copy, compose, delete', () => {
    it('copies within and across buckets, keeping bytes and metadata', async () => {
      const [archive] = await local.storage.createBucket('archive');
      const source = bucket.file('src.csv');
      await source.save('copy me', {
        resumable: false,
        contentType: 'text/csv',
        metadata: { metadata: { k: 'v' } },
      });
      await source.copy(archive.file('dst.csv'));
      await source.copy('same-bucket.csv');
      const [copied] = await archive.file('dst.csv').getMetadata();
      expect(copied.contentType).toBe('text/csv');
      expect(copied.metadata).toEqual({ k: 'v' });
      expect((await archive.file('dst.csv').download())[0].toString()).toBe('copy me');
      expect((await bucket.file('same-bucket.csv').download())[0].toString()).toBe('copy me');
    });

    it('rejects a copy onto an existing object with ifGenerationMatch 0', async () => {
      await bucket.file('src').save('s', { resumable: false });
      await bucket.file('dst').save('d', { resumable: false });
      const error = await failure(
        bucket.file('src').copy('dst', { preconditionOpts: { ifGenerationMatch: 0 } }),
      );
      expect(error.code).toBe(412);
    });

    it('composes sources in order with a correct checksum and component count', async () => {
      await bucket.file('part-1').save('alpha,', { resumable: false });
      await bucket.file('part-2').save('beta,', { resumable: false });
      await bucket.file('part-3').save('gamma', { resumable: false });
      const [combined] = await bucket.combine(['part-1', 'part-2', 'part-3'], 'whole.csv');
      const [bytes] = await combined.download();
      expect(bytes.toString()).toBe('alpha,beta,gamma');
      const [metadata] = await combined.getMetadata();
      expect(metadata.componentCount).toBe(3);
      expect(metadata.crc32c).toBe(crc32cOf('alpha,beta,gamma'));
    });

    it('fails to compose a missing source with 404', async () => {
      await bucket.file('part-1').save('alpha', { resumable: false });
      const error = await failure(bucket.combine(['part-1', 'nope'], 'whole'));
      expect(error.code).toBe(404);
    });
  });
});

function patterned(size: number): Buffer {
  const bytes = Buffer.alloc(size);
  for (let index = 0; index < size; index++) bytes[index] = (index * 31 + (index >> 8)) & 0xff;
  return bytes;
}

/** The client's own CRC32C, an implementation independent of the server's. */
function crc32cOf(text: string): string {
  const crc = new CRC32C();
  crc.update(Buffer.from(text));
  return crc.toString();
}

interface ApiFailure {
  code: number | string;
  message: string;
}

async function failure(promise: Promise<unknown>): Promise<ApiFailure> {
  try {
    await promise;
  } catch (error) {
    return error as ApiFailure;
  }
  throw new Error('expected the call to fail');
}
