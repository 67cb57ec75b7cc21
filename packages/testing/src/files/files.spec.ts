import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { randomBytesFile, randomBytesStream } from './random-bytes.js';
import { sha256File, sha256Stream } from './sha256.js';

describe('generated files and checksums', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'bqx-files-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes exactly the requested number of bytes, and hashes them like node:crypto', async () => {
    const file = path.join(dir, 'random.bin');
    await randomBytesFile(file, 3 * 1024 * 1024 + 17);
    expect((await stat(file)).size).toBe(3 * 1024 * 1024 + 17);
    const expected = createHash('sha256')
      .update(await readFile(file))
      .digest('hex');
    expect(await sha256File(file)).toBe(expected);
  });

  it('streams in chunks of the requested size and differs between calls', async () => {
    const sizes: number[] = [];
    for await (const chunk of randomBytesStream(10_000, { blockBytes: 4096 }))
      sizes.push((chunk as Buffer).length);
    expect(sizes).toEqual([4096, 4096, 1808]);
    expect(await sha256Stream(randomBytesStream(1000))).not.toBe(await sha256Stream(randomBytesStream(1000)));
  });
});
