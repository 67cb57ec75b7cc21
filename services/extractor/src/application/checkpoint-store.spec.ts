import { describe, expect, it } from '@jest/globals';
import { InMemoryBlobStore } from '@bq-sftp-export/cloud/testing';
import { parseInstant } from '@bq-sftp-export/export-domain';

import { CheckpointStore, checkpointRef, type HeldLease } from './checkpoint-store.js';

const ref = checkpointRef('bqx-staging', 'default', 'orders');
const now = parseInstant('2026-11-26T12:00:00Z');
const plan = () => ({
  runStartedAt: '2026-11-26T12:00:00.000000Z',
  snapshot: '2026-11-26T12:00:00.000000Z',
  window: { mode: 'incremental' as const, low: null, high: '2026-11-26T12:00:00.000000Z', scanLow: null },
});

async function take(checkpoints: CheckpointStore, runId: string, expiresAt = '2026-11-26T13:00:00.000000Z') {
  const result = await checkpoints.acquire(ref, {
    configName: 'default',
    exportName: 'orders',
    runId,
    mode: 'incremental',
    now,
    expiresAt,
    plan,
  });
  if (result.kind !== 'held') throw new Error(`expected the lease, got ${result.kind}`);
  return result.held;
}

describe('CheckpointStore', () => {
  it('re-applies a change over a renewal it did not see (its own lease, a newer generation)', async () => {
    const store = new InMemoryBlobStore();
    const checkpoints = new CheckpointStore(store);
    const held = await take(checkpoints, 'r1');
    const renewed = await checkpoints.renew(held, '2026-11-26T14:00:00.000000Z');
    // `held` is stale now: the finish conflicts, re-reads, and applies to the renewed document.
    await checkpoints.finish(held, now, parseInstant('2026-11-26T12:00:00Z'));
    const { document } = await checkpoints.read(ref, 'default', 'orders');
    expect(renewed.generation).not.toBe(held.generation);
    expect(document).toMatchObject({ lease: null, committed: { runId: 'r1' }, completedRunIds: ['r1'] });
  });

  it('stops a run whose lease went to another run (LEASE_LOST, retryable)', async () => {
    const store = new InMemoryBlobStore();
    const checkpoints = new CheckpointStore(store);
    // r1 holds an expired lease of a full run, which r2 takes over (an incremental one it would resume).
    const taken: HeldLease = await take(checkpoints, 'r1', '2026-11-26T11:00:00.000000Z');
    const window = { ...taken.lease.window, mode: 'full' as const };
    const written = await store.writeJson(
      ref,
      { ...taken.document, lease: { ...taken.lease, window } },
      taken.generation,
    );
    const stale: HeldLease = {
      ...taken,
      generation: written.kind === 'written' ? written.generation : '',
      lease: { ...taken.lease, window },
    };
    await take(checkpoints, 'r2');
    await expect(checkpoints.finish(stale, now, null)).rejects.toMatchObject({
      code: 'LEASE_LOST',
      retryable: true,
    });
  });

  it('refuses a document that is not a checkpoint, naming the object', async () => {
    const store = new InMemoryBlobStore();
    store.put(ref, '{"high": "yesterday"}');
    await expect(new CheckpointStore(store).read(ref, 'default', 'orders')).rejects.toMatchObject({
      code: 'CHECKPOINT_CORRUPT',
      retryable: false,
      message: expect.stringContaining('checkpoints/default/orders.json'),
    });
  });
});
