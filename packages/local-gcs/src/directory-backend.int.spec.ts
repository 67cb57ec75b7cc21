import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { Storage } from '@google-cloud/storage';

import { clientOptions } from './client-options.js';
import { startLocalGcs, type LocalGcs } from './start-local-gcs.js';

describe('directory backend', () => {
  let directory: string;
  let gcs: LocalGcs | undefined;

  beforeEach(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'local-gcs-dir-'));
  });

  afterEach(async () => {
    await gcs?.stop();
    gcs = undefined;
    await rm(directory, { recursive: true, force: true });
  });

  async function start(): Promise<Storage> {
    gcs = await startLocalGcs({ directory });
    return new Storage(clientOptions(gcs.endpoint));
  }

  it('keeps buckets, objects, generations and metadata across a restart', async () => {
    let storage = await start();
    const [bucket] = await storage.createBucket('kept');
    await bucket.file('a/one.csv').save('one', { resumable: false, metadata: { metadata: { k: 'v' } } });
    await bucket.file('two.csv').save('two', { resumable: true });
    await bucket.file('two.csv').save('two, again', { resumable: false });
    await bucket.file('gone.csv').save('gone', { resumable: false });
    await bucket.file('gone.csv').delete();
    const before = gcs!.listObjects('kept');
    await gcs!.stop();

    storage = await start();
    expect(gcs!.listBuckets()).toEqual(['kept']);
    expect(gcs!.listObjects('kept')).toEqual(before);
    expect((await storage.bucket('kept').file('two.csv').download())[0].toString()).toBe('two, again');
    const [metadata] = await storage.bucket('kept').file('a/one.csv').getMetadata();
    expect(metadata.metadata).toEqual({ k: 'v' });
    expect(await readdir(path.join(directory, 'blobs'))).toHaveLength(2);
  });

  it('sweeps what a crash can leave behind: drafts, temporary records and unreferenced blobs', async () => {
    let storage = await start();
    const [bucket] = await storage.createBucket('swept');
    await bucket.file('kept.csv').save('kept', { resumable: false });
    await gcs!.stop();
    gcs = undefined;
    await writeFile(path.join(directory, 'tmp', 'half-written-draft'), 'partial');
    await writeFile(path.join(directory, 'blobs', 'orphan'), 'committed but never recorded');
    const objects = path.join(directory, 'objects', 'swept');
    await mkdir(objects, { recursive: true });
    await writeFile(path.join(objects, 'record.json.123.tmp'), '{"torn":');

    storage = await start();
    expect(gcs!.listObjects('swept').map((object) => object.name)).toEqual(['kept.csv']);
    expect(await readdir(path.join(directory, 'tmp'))).toEqual([]);
    expect(await readdir(path.join(directory, 'blobs'))).toHaveLength(1);
    expect((await readdir(objects)).filter((entry) => entry.endsWith('.tmp'))).toEqual([]);
    expect((await storage.bucket('swept').file('kept.csv').download())[0].toString()).toBe('kept');
  });

  it('resets to empty', async () => {
    const storage = await start();
    await storage.createBucket('temporary');
    await gcs!.reset();
    expect(gcs!.listBuckets()).toEqual([]);
    expect((await storage.bucket('temporary').exists())[0]).toBe(false);
  });
});
