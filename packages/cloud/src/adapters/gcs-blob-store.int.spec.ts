import { afterAll, beforeAll } from '@jest/globals';

import { startLocalGcs, type LocalGcs } from '@bq-sftp-export/local-gcs';

import { createGoogleClients } from '../clients/google-clients.js';
import { describeBlobStoreContract } from '../testing/blob-store-contract.js';
import { GcsBlobStore } from './gcs-blob-store.adapter.js';

// The same contract the in-memory fake is held to, through the real Storage client against the
// local cloud's Cloud Storage.
let gcs: LocalGcs;
let store: GcsBlobStore;
const bucket = 'contract-bucket';

beforeAll(async () => {
  gcs = await startLocalGcs();
  const { storage } = createGoogleClients({ storageEmulatorHost: gcs.endpoint });
  await storage.createBucket(bucket);
  store = new GcsBlobStore(storage);
});

afterAll(async () => {
  await gcs.stop();
});

describeBlobStoreContract('Cloud Storage (local cloud, real client)', () => ({ store, bucket }));
