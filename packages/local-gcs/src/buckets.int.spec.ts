import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Storage } from '@google-cloud/storage';

import { clientOptions } from './client-options.js';
import { startLocalGcs, type LocalGcs } from './start-local-gcs.js';
import { useLocalGcs } from './testing/use-local-gcs.js';

describe('buckets through @google-cloud/storage', () => {
  const local = useLocalGcs();

  it('creates, gets and lists buckets', async () => {
    await local.storage.createBucket('exports-b', { location: 'eu' });
    await local.storage.createBucket('exports-a');
    const [metadata] = await local.storage.bucket('exports-b').getMetadata();
    expect(metadata.name).toBe('exports-b');
    expect(metadata.location).toBe('EU');
    expect(metadata.storageClass).toBe('STANDARD');
    const [buckets] = await local.storage.getBuckets();
    expect(buckets.map((bucket) => bucket.name)).toEqual(['exports-a', 'exports-b']);
    expect(local.gcs.listBuckets()).toEqual(['exports-a', 'exports-b']);
  });

  it('answers 409 for an existing bucket and 404 for a missing one', async () => {
    await local.storage.createBucket('exports');
    await expect(local.storage.createBucket('exports')).rejects.toMatchObject({ code: 409 });
    await expect(local.storage.bucket('nowhere').getMetadata()).rejects.toMatchObject({
      code: 404,
      message: 'The specified bucket does not exist.',
    });
    expect((await local.storage.bucket('nowhere').exists())[0]).toBe(false);
    await expect(
      local.storage.bucket('nowhere').file('x').save('x', { resumable: false }),
    ).rejects.toMatchObject({
      code: 404,
    });
  });

  it('deletes an empty bucket and refuses a non-empty one', async () => {
    const [bucket] = await local.storage.createBucket('exports');
    await bucket.file('x').save('x', { resumable: false });
    await expect(bucket.delete()).rejects.toMatchObject({ code: 409 });
    await bucket.file('x').delete();
    await bucket.delete();
    expect((await bucket.exists())[0]).toBe(false);
  });

  it('answers 501 naming an API that is not emulated', async () => {
    const [bucket] = await local.storage.createBucket('exports');
    await expect(bucket.iam.getPolicy()).rejects.toMatchObject({
      code: 501,
      message: expect.stringContaining('Not emulated by local-gcs: GET /storage/v1/b/exports/iam'),
    });
  });
});

describe('STORAGE_EMULATOR_HOST', () => {
  let gcs: LocalGcs;

  beforeAll(async () => {
    gcs = await startLocalGcs();
  });

  afterAll(async () => {
    await gcs.stop();
  });

  it('is tolerated: the client then drops the /storage/v1 prefix and the server still answers', async () => {
    const saved = process.env['STORAGE_EMULATOR_HOST'];
    process.env['STORAGE_EMULATOR_HOST'] = gcs.endpoint;
    let storage: Storage;
    try {
      storage = new Storage({ projectId: 'local-project' });
    } finally {
      if (saved === undefined) delete process.env['STORAGE_EMULATOR_HOST'];
      else process.env['STORAGE_EMULATOR_HOST'] = saved;
    }
    const [bucket] = await storage.createBucket('via-env');
    await bucket.file('a/b.txt').save('through the env', { resumable: false });
    await bucket.file('c.txt').save('resumable too', { resumable: true });
    expect((await bucket.file('a/b.txt').download())[0].toString()).toBe('through the env');
    expect((await bucket.file('c.txt').download())[0].toString()).toBe('resumable too');
    const [files] = await bucket.getFiles();
    expect(files.map((file) => file.name)).toEqual(['a/b.txt', 'c.txt']);
  });
});

describe('offline credentials', () => {
  let gcs: LocalGcs;
  const overrides = {
    // Any attempt at Google auth would now fail at once instead of passing unnoticed.
    GOOGLE_APPLICATION_CREDENTIALS: '/nonexistent/local-gcs-credentials.json',
    GCE_METADATA_HOST: '127.0.0.1:9',
    GCE_METADATA_IP: '127.0.0.1:9',
  };
  const saved: Record<string, string | undefined> = {};

  beforeAll(async () => {
    gcs = await startLocalGcs();
    for (const [key, value] of Object.entries(overrides)) {
      saved[key] = process.env[key];
      process.env[key] = value;
    }
  });

  afterAll(async () => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    await gcs.stop();
  });

  it('lets clientOptions(endpoint) work with no credentials and no metadata server', async () => {
    const storage = new Storage(clientOptions(gcs.endpoint));
    const [bucket] = await storage.createBucket('offline');
    await bucket.file('m.txt').save('multipart', { resumable: false });
    await bucket.file('r.txt').save('resumable', { resumable: true });
    expect((await bucket.file('r.txt').download())[0].toString()).toBe('resumable');
    expect((await bucket.getFiles())[0].map((file) => file.name)).toEqual(['m.txt', 'r.txt']);
  });
});
