import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { Storage, type Bucket } from '@google-cloud/storage';

import { clientOptions } from './client-options.js';
import { startLocalGcs, type LocalGcs } from './start-local-gcs.js';

describe('objects through @google-cloud/storage', () => {
  let gcs: LocalGcs;
  let storage: Storage;
  let bucket: Bucket;

  beforeAll(async () => {
    gcs = await startLocalGcs();
    storage = new Storage(clientOptions(gcs.endpoint));
  });

  afterAll(async () => {
    await gcs.stop();
  });

  beforeEach(async () => {
    await gcs.reset();
    [bucket] = await storage.createBucket('staging');
  });

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
    const [bytes] = await file.download();
    expect(bytes.toString()).toBe('id,name\n1,alpha\n');
    expect((await gcs.readObject('staging', 'exports/a.csv')).toString()).toBe('id,name\n1,alpha\n');
  });
});
