import { describe, expect, it } from '@jest/globals';
import { parseInstant } from '@bq-sftp-export/export-domain';

import {
  COMPLETED_RUNS_KEPT,
  committedSnapshot,
  decideLease,
  emptyCheckpoint,
  finishRun,
  loadWindow,
  parseCheckpointDocument,
  storeWindow,
  type CheckpointDocument,
  type RunLease,
} from './checkpoint.js';

const now = parseInstant('2026-11-26T12:00:00Z');
const lease = (overrides: Partial<RunLease> = {}): RunLease => ({
  runId: 'holder',
  expiresAt: '2026-11-26T12:30:00.000000Z',
  runStartedAt: '2026-11-26T11:30:00.000000Z',
  snapshot: '2026-11-26T11:30:00.000000Z',
  window: { mode: 'incremental', low: null, high: '2026-11-26T11:30:00.000000Z', scanLow: null },
  announced: false,
  ...overrides,
});
const withLease = (value: RunLease): CheckpointDocument => ({ ...emptyCheckpoint('c', 'e'), lease: value });

describe('decideLease', () => {
  it('starts fresh without a lease, and recognises a finished run', () => {
    expect(decideLease(emptyCheckpoint('c', 'e'), 'r1', 'incremental', now)).toEqual({ kind: 'fresh' });
    const finished = finishRun(emptyCheckpoint('c', 'e'), 'r1', now, null);
    expect(decideLease(finished, 'r1', 'incremental', now)).toEqual({ kind: 'done' });
  });

  it('is busy while another run holds a live lease, even for another mode', () => {
    expect(decideLease(withLease(lease()), 'r2', 'incremental', now)).toEqual({
      kind: 'busy',
      holder: 'holder',
    });
    expect(decideLease(withLease(lease()), 'r2', 'backfill', now)).toEqual({
      kind: 'busy',
      holder: 'holder',
    });
  });

  it('resumes its own lease, live or expired', () => {
    expect(decideLease(withLease(lease()), 'holder', 'incremental', now)).toMatchObject({ kind: 'resume' });
  });

  it('an expired incremental lease is resumed by an incremental request and blocks other modes', () => {
    const expired = withLease(lease({ expiresAt: '2026-11-26T12:00:00.000000Z' }));
    expect(decideLease(expired, 'r2', 'incremental', now)).toMatchObject({
      kind: 'resume',
      lease: { runId: 'holder' },
    });
    expect(decideLease(expired, 'r2', 'full', now)).toEqual({ kind: 'busy', holder: 'holder' });
  });

  it('an expired full or backfill lease is simply taken over', () => {
    const window = { mode: 'full' as const, low: null, high: '2026-11-26T11:30:00.000000Z', scanLow: null };
    const expired = withLease(lease({ expiresAt: '2026-11-26T11:59:59.999999Z', window }));
    expect(decideLease(expired, 'r2', 'incremental', now)).toEqual({ kind: 'fresh' });
  });
});

describe('finishRun', () => {
  it('moves the watermark only when given one, drops the lease, remembers a bounded list of runs', () => {
    let document: CheckpointDocument = withLease(lease());
    document = finishRun(document, 'holder', now, parseInstant('2026-11-26T11:30:00Z'));
    expect(document).toMatchObject({
      committed: {
        high: '2026-11-26T11:30:00.000000Z',
        runId: 'holder',
        committedAt: '2026-11-26T12:00:00.000000Z',
      },
      lease: null,
      completedRunIds: ['holder'],
    });
    const kept = finishRun(document, 'backfill-1', now, null);
    expect(kept.committed).toEqual(document.committed);
    for (let i = 0; i < COMPLETED_RUNS_KEPT + 5; i++) document = finishRun(document, `r${i}`, now, null);
    expect(document.completedRunIds).toHaveLength(COMPLETED_RUNS_KEPT);
    expect(document.completedRunIds.at(-1)).toBe(`r${COMPLETED_RUNS_KEPT + 4}`);
  });
});

describe('the committed snapshot', () => {
  it('is kept with the watermark a run commits, and unknown in a checkpoint written before it', () => {
    const finished = finishRun(
      withLease(lease()),
      'holder',
      now,
      parseInstant('2026-11-26T11:30:00Z'),
      '2026-11-26T11:30:00.000000Z',
    );
    expect(finished.committed?.snapshot).toBe('2026-11-26T11:30:00.000000Z');
    expect(committedSnapshot(finished)).toBe(parseInstant('2026-11-26T11:30:00Z'));
    const stored = JSON.parse(JSON.stringify(finished)) as { committed: Record<string, unknown> };
    expect(committedSnapshot(parseCheckpointDocument(stored)!)).toBe(parseInstant('2026-11-26T11:30:00Z'));
    delete stored.committed['snapshot'];
    const older = parseCheckpointDocument(stored);
    expect(older?.committed?.high).toBe('2026-11-26T11:30:00.000000Z');
    expect(committedSnapshot(older!)).toBeNull();
    expect(committedSnapshot(emptyCheckpoint('c', 'e'))).toBeNull();
    // A run that moves no watermark (full, backfill) leaves the committed snapshot as it was.
    expect(finishRun(finished, 'full-1', now, null, '2026-11-26T12:00:00.000000Z').committed).toEqual(
      finished.committed,
    );
  });
});

describe('checkpoint documents', () => {
  it('round-trip windows at microsecond precision and refuse foreign JSON', () => {
    const window = { mode: 'incremental' as const, low: 1n, high: 1_764_158_400_000_001n, scanLow: 0n };
    expect(loadWindow(storeWindow(window))).toEqual(window);
    expect(parseCheckpointDocument(JSON.parse(JSON.stringify(withLease(lease()))))).toEqual(
      withLease(lease()),
    );
    expect(parseCheckpointDocument({ high: 'x' })).toBeUndefined();
  });
});
