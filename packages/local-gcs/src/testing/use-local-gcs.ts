import { afterAll, beforeAll, beforeEach } from '@jest/globals';
import { Storage } from '@google-cloud/storage';

import { clientOptions } from '../client-options.js';
import { startLocalGcs, type LocalGcs } from '../start-local-gcs.js';

export interface LocalGcsFixture {
  readonly gcs: LocalGcs;
  /** A real client pointed at the server with `clientOptions`. */
  readonly storage: Storage;
}

/**
 * Registers Jest hooks for one in-memory server per `describe`, emptied before each test and
 * stopped after the last one.
 */
export function useLocalGcs(): LocalGcsFixture {
  let started: LocalGcsFixture | undefined;
  beforeAll(async () => {
    const gcs = await startLocalGcs();
    started = { gcs, storage: new Storage(clientOptions(gcs.endpoint)) };
  });
  afterAll(async () => {
    await started?.gcs.stop();
  });
  beforeEach(async () => {
    await started?.gcs.reset();
  });
  const current = (): LocalGcsFixture => {
    if (started === undefined) throw new Error('useLocalGcs: the server starts in beforeAll');
    return started;
  };
  return {
    get gcs() {
      return current().gcs;
    },
    get storage() {
      return current().storage;
    },
  };
}
