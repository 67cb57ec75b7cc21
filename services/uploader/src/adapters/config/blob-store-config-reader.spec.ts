import { describe, expect, it } from '@jest/globals';

import { BlobStoreConfigReader } from '@bq-sftp-export/cloud';
import { InMemoryBlobStore } from '@bq-sftp-export/cloud/testing';
import { createConfigSource, loadExportConfig } from '@bq-sftp-export/config';

import { testConfigText } from '../../application/testing/deliver-file-kit.js';

describe('BlobStoreConfigReader', () => {
  it('serves a gs:// config source from the blob store', async () => {
    const blobs = new InMemoryBlobStore();
    blobs.put({ bucket: 'bqx-config', name: 'configs/default.json' }, testConfigText());
    const reader = new BlobStoreConfigReader(blobs);
    const source = createConfigSource('gs://bqx-config/configs', { blobReader: reader });

    expect((await loadExportConfig(source, 'default')).exports[0]?.name).toBe('shopify_customers');
    expect(await reader.read('gs://bqx-config/configs/missing.json')).toBeUndefined();
    await expect(loadExportConfig(source, 'missing')).rejects.toMatchObject({ code: 'CONFIG_NOT_FOUND' });
  });
});
