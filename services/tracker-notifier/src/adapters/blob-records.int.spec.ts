import { Storage } from '@google-cloud/storage';
import { GcsBlobStore } from '@bq-sftp-export/cloud';
import { clientOptions, startLocalGcs } from '@bq-sftp-export/local-gcs';
import type { LocalGcs } from '@bq-sftp-export/local-gcs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';

import type { NotificationKey } from '../application/ports/notification-ledger.js';
import { BlobExportStateStore } from './blob-export-state-store.adapter.js';
import { BlobNotificationLedger } from './blob-notification-ledger.adapter.js';
import { BlobRecentRunsStore } from './blob-recent-runs-store.adapter.js';

const BUCKET = 'bqx-staging';
const key: NotificationKey = {
  configName: 'default',
  exportName: 'shopify_customers',
  runId: 'run-1',
  result: 'failure',
  channel: 'slack',
};

describe('notification records on Cloud Storage (local GCS, real client)', () => {
  let gcs: LocalGcs;
  let blobs: GcsBlobStore;

  beforeAll(async () => {
    gcs = await startLocalGcs();
    blobs = new GcsBlobStore(new Storage(clientOptions(gcs.endpoint)));
  });
  afterAll(async () => {
    await gcs.stop();
  });
  beforeEach(async () => {
    await gcs.reset();
    await new Storage(clientOptions(gcs.endpoint)).createBucket(BUCKET);
  });

  it('keeps the first ledger record of a notification and never overwrites it', async () => {
    const ledger = new BlobNotificationLedger(blobs, BUCKET);
    expect(await ledger.find(key)).toBeUndefined();
    const first = {
      status: 'sent',
      outcome: 'failure',
      eventId: 'e-1',
      at: '2026-11-26T06:00:00.000Z',
    } as const;
    await ledger.record(key, first);
    await ledger.record(key, { ...first, status: 'abandoned', eventId: 'e-2' });
    expect(await ledger.find(key)).toEqual(first);
    expect(await ledger.find({ ...key, channel: 'email' })).toBeUndefined();
    expect(gcs.listObjects(BUCKET).map((object) => object.name)).toEqual([
      'notifications/default/shopify_customers/runs/run-1/failure.slack.json',
    ]);
  });

  it('updates the export state only from the version it read', async () => {
    const states = new BlobExportStateStore(blobs, BUCKET);
    const failed = {
      lastResult: 'failure',
      runId: 'run-1',
      eventId: 'e-1',
      occurredAt: '2026-11-26T05:00:00Z',
    } as const;
    expect(await states.write('default', 'shopify_customers', failed, undefined)).toBe(true);
    expect(await states.write('default', 'shopify_customers', failed, undefined)).toBe(false);
    const stored = await states.read('default', 'shopify_customers');
    expect(stored?.state).toEqual(failed);

    const recovered = {
      ...failed,
      lastResult: 'success',
      runId: 'run-2',
      eventId: 'e-2',
      previousResult: 'failure',
    } as const;
    expect(await states.write('default', 'shopify_customers', recovered, stored!.version)).toBe(true);
    expect(await states.write('default', 'shopify_customers', failed, stored!.version)).toBe(false);
    expect((await states.read('default', 'shopify_customers'))?.state).toEqual(recovered);
  });

  it('keeps the recent runs by compare-and-swap and refuses a malformed document', async () => {
    const recent = new BlobRecentRunsStore(blobs, BUCKET);
    const first = {
      eventId: 'e-1',
      runId: 'run-1',
      occurredAt: '2026-11-26T05:00:00Z',
      rows: 42,
      bytes: 2048,
    };
    const second = { eventId: 'e-2', runId: 'run-2', occurredAt: '2026-11-27T05:00:00Z', rows: 0 };
    expect(await recent.read('default', 'shopify_customers')).toBeUndefined();
    expect(await recent.write('default', 'shopify_customers', [first], undefined)).toBe(true);
    expect(await recent.write('default', 'shopify_customers', [second], undefined)).toBe(false);
    const stored = await recent.read('default', 'shopify_customers');
    expect(stored?.runs).toEqual([first]);
    expect(await recent.write('default', 'shopify_customers', [first, second], stored!.version)).toBe(true);
    expect(await recent.write('default', 'shopify_customers', [second], stored!.version)).toBe(false);
    expect((await recent.read('default', 'shopify_customers'))?.runs).toEqual([first, second]);
    expect(gcs.listObjects(BUCKET).map((object) => object.name)).toEqual([
      'notifications/default/shopify_customers/recent-runs.json',
    ]);

    await blobs.writeJson(
      { bucket: BUCKET, name: 'notifications/default/other/recent-runs.json' },
      { runs: 'x' },
      '0',
    );
    await expect(recent.read('default', 'other')).rejects.toMatchObject({
      code: 'RECENT_RUNS_INVALID',
      retryable: false,
    });
  });
});
