import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

import { idsOf, readDeliveryDirectory } from './delivered-files.js';

const complete = 'id,name\r\n7,"Smith, J."\r\n8,"line\nbreak"\r\n';

describe('idsOf', () => {
  it('reads the id column of complete CSV, quoted commas and line breaks included', () => {
    expect(idsOf(complete)).toEqual([7, 8]);
  });

  it.each([
    ['cut inside a quoted field', complete.slice(0, 26)],
    ['cut inside a record', 'id,name\r\n7,Smi'],
    ['no id column', 'key,name\r\n7,x\r\n'],
    ['a non-numeric id', 'id,name\r\nseven,x\r\n'],
  ])('is undefined for a file %s', (_case, text) => {
    expect(idsOf(text)).toBeUndefined();
  });
});

describe('readDeliveryDirectory', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('parses final names (gunzipping .gz, a truncated one is partial) and lists dot-names as temporary files', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'delivered-'));
    await writeFile(path.join(dir, 'A.csv'), complete);
    await writeFile(path.join(dir, '.B.csv.partial'), 'id\r\n1');
    const gzipped = gzipSync(complete);
    await writeFile(path.join(dir, 'C.csv.gz'), gzipped);
    await writeFile(path.join(dir, 'D.csv.gz'), gzipped.subarray(0, gzipped.length - 9));
    const read = await readDeliveryDirectory(dir);
    expect(read.temporary).toEqual(['.B.csv.partial']);
    const sha256 = expect.stringMatching(/^[0-9a-f]{64}$/);
    expect(read.files).toEqual([
      { name: 'A.csv', sha256, ids: [7, 8] },
      { name: 'C.csv.gz', sha256, ids: [7, 8] },
      { name: 'D.csv.gz', sha256, ids: undefined },
    ]);
  });
});
