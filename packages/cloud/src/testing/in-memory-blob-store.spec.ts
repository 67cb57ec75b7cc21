import { InMemoryBlobStore } from './in-memory-blob-store.js';
import { describeBlobStoreContract } from './blob-store-contract.js';

describeBlobStoreContract('in memory', () => ({ store: new InMemoryBlobStore(), bucket: 'test-bucket' }));
