import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { describe, expect, it } from '@jest/globals';

import { ObjectHasher, encodeCrc32c } from './object-hasher.js';

describe('ObjectHasher', () => {
  it('gives the documented CRC32C and MD5 of "hello world" however the bytes are split', () => {
    const whole = new ObjectHasher();
    whole.update(Buffer.from('hello world'));
    const split = new ObjectHasher();
    for (const part of ['hel', 'lo ', '', 'world']) split.update(Buffer.from(part));
    const expected = { size: 11, crc32c: 'yZRlqg==', md5Hash: 'XrY7u+Ae7tCTyyK7j1rNww==' };
    expect(whole.digest()).toEqual(expected);
    expect(split.digest()).toEqual(expected);
  });

  it('hashes what streams through its tap, passing the bytes on unchanged', async () => {
    const hasher = new ObjectHasher();
    const out: Buffer[] = [];
    await pipeline(
      Readable.from([Buffer.from('hello '), Buffer.from('world')]),
      hasher.tap(),
      new Writable({
        write(chunk: Buffer, _encoding, callback) {
          out.push(chunk);
          callback();
        },
      }),
    );
    expect(Buffer.concat(out).toString()).toBe('hello world');
    expect(hasher.digest().crc32c).toBe('yZRlqg==');
  });

  it('encodes CRC32C big-endian', () => {
    expect(encodeCrc32c(0x01020304)).toBe(Buffer.from([1, 2, 3, 4]).toString('base64'));
    expect(encodeCrc32c(0)).toBe('AAAAAA==');
  });
});
