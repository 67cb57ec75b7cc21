import { beforeEach, describe, expect, it } from '@jest/globals';
import type { Bucket } from '@google-cloud/storage';

import { useLocalGcs } from './testing/use-local-gcs.js';

describe('fault control: a concurrent writer before the next write (beforeNextWrite)', () => {
  const local = useLocalGcs();
  let bucket: Bucket;

  beforeEach(async () => {
    [bucket] = await local.storage.createBucket('state');
  });

  const contentOf = async (name: string): Promise<string> =>
    (await local.gcs.readObject('state', name)).toString('utf8');

  it('the concurrent write lands first: a compare-and-swap on the generation read before fails with 412', async () => {
    const file = bucket.file('checkpoint.json');
    await file.save('{"v":1}', { resumable: false });
    const [read] = await file.getMetadata();
    const ran = local.gcs.beforeNextWrite('state', 'checkpoint.json', async () => {
      await file.save('{"v":"other"}', { resumable: false });
    });
    await expect(
      file.save('{"v":2}', { resumable: false, preconditionOpts: { ifGenerationMatch: read.generation! } }),
    ).rejects.toMatchObject({ code: 412 });
    await ran;
    expect(await contentOf('checkpoint.json')).toBe('{"v":"other"}');

    // One write only: the next compare-and-swap, on the new generation, goes through.
    const [current] = await file.getMetadata();
    await file.save('{"v":3}', {
      resumable: false,
      preconditionOpts: { ifGenerationMatch: current.generation! },
    });
    expect(await contentOf('checkpoint.json')).toBe('{"v":3}');
  });

  it('a create-only write loses to a concurrent create; other names are not held', async () => {
    const ran = local.gcs.beforeNextWrite('state', 'ledger/entry.json', async () => {
      await bucket.file('ledger/entry.json').save('first', { resumable: false });
    });
    await bucket
      .file('ledger/other.json')
      .save('untouched', { resumable: false, preconditionOpts: { ifGenerationMatch: 0 } });
    await expect(
      bucket
        .file('ledger/entry.json')
        .save('second', { resumable: false, preconditionOpts: { ifGenerationMatch: 0 } }),
    ).rejects.toMatchObject({ code: 412 });
    await ran;
    expect(await contentOf('ledger/entry.json')).toBe('first');
    expect(await contentOf('ledger/other.json')).toBe('untouched');
  });

  it('reports the concurrent writer failing, and lets the held write go on', async () => {
    const ran = local.gcs.beforeNextWrite('state', 'x.json', () =>
      Promise.reject(new Error('writer crashed')),
    );
    await bucket.file('x.json').save('mine', { resumable: false });
    await expect(ran).rejects.toThrow('writer crashed');
    expect(await contentOf('x.json')).toBe('mine');
  });
});
