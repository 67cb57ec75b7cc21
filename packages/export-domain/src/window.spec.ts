import { describe, expect, it } from '@jest/globals';

import { DomainError } from './domain-error.js';
import { formatInstant, parseInstant } from './instant.js';
import { isEmptyWindow, nextCheckpointHigh, planWindow, windowContains } from './window.js';

const t = (iso: string) => parseInstant(iso);
const now = t('2026-01-02T00:00:00Z');
const incremental = { incremental: true, timestamp_column: 'last_updated_at' } as const;

describe('planWindow', () => {
  it('starts an incremental run at the checkpoint and ends at now − settle delay', () => {
    const window = planWindow(
      { ...incremental, settle_delay_seconds: 300 },
      { now, checkpointHigh: t('2026-01-01T00:00:00.000001Z') },
    );
    expect(window).toEqual({
      mode: 'incremental',
      low: t('2026-01-01T00:00:00.000001Z'),
      high: t('2026-01-01T23:55:00Z'),
      scanLow: t('2026-01-01T00:00:00.000001Z'),
    });
  });

  it('starts a first run at start_at, or unbounded without one', () => {
    expect(
      planWindow({ ...incremental, start_at: '2025-06-01T00:00:00Z' }, { now, checkpointHigh: null }).low,
    ).toBe(t('2025-06-01T00:00:00Z'));
    expect(planWindow(incremental, { now, checkpointHigh: null })).toMatchObject({
      low: null,
      scanLow: null,
      high: now,
    });
  });

  it('reads a lookback margin below low without moving low', () => {
    const window = planWindow(
      { ...incremental, lookback_seconds: 60 },
      { now, checkpointHigh: t('2026-01-01T12:00:00Z') },
    );
    expect(window.low).toBe(t('2026-01-01T12:00:00Z'));
    expect(window.scanLow).toBe(t('2026-01-01T11:59:00Z'));
  });

  it('starts the first window at start_at, lookback or not: nothing from before start_at', () => {
    const window = planWindow(
      { ...incremental, lookback_seconds: 60, start_at: '2026-01-01T06:00:00Z' },
      { now, checkpointHigh: null },
    );
    expect(window.low).toBe(t('2026-01-01T06:00:00Z'));
    expect(window.scanLow).toBe(t('2026-01-01T06:00:00Z'));
  });

  it('plans a full export below high for non-incremental exports and for mode=full', () => {
    expect(planWindow({ incremental: false }, { now, checkpointHigh: null })).toEqual({
      mode: 'full',
      low: null,
      high: now,
      scanLow: null,
    });
    expect(
      planWindow(incremental, { now, checkpointHigh: t('2025-01-01T00:00:00Z'), mode: 'full' }).mode,
    ).toBe('full');
  });

  it('takes a backfill window verbatim, without settle delay', () => {
    const backfill = { from: t('2025-01-01T00:00:00Z'), to: t('2025-02-01T00:00:00Z') };
    expect(
      planWindow({ ...incremental, settle_delay_seconds: 60 }, { now, checkpointHigh: null, backfill }),
    ).toEqual({
      mode: 'backfill',
      low: backfill.from,
      high: backfill.to,
      scanLow: backfill.from,
    });
  });

  it('rejects windows that cannot be planned', () => {
    expect(() => planWindow({ incremental: true }, { now, checkpointHigh: null })).toThrow(DomainError);
    expect(() =>
      planWindow({ ...incremental, settle_delay_seconds: -1 }, { now, checkpointHigh: null }),
    ).toThrow(/settle_delay_seconds/);
    expect(() =>
      planWindow(incremental, { now, checkpointHigh: null, backfill: { from: now, to: now - 1n } }),
    ).toThrow(/backfill/);
  });
});

describe('half-open windows', () => {
  it('puts rows at low and at high in exactly one of two consecutive windows', () => {
    const first = planWindow(incremental, { now, checkpointHigh: t('2026-01-01T00:00:00Z') });
    const second = planWindow(incremental, {
      now: now + 3_600_000_000n,
      checkpointHigh: nextCheckpointHigh(first, null),
    });
    expect(second.low).toBe(first.high);
    const boundaryRows = [
      first.low!,
      first.low! + 1n,
      first.high - 1n,
      first.high,
      first.high + 1n,
      second.high - 1n,
    ];
    for (const ts of boundaryRows) {
      const hits = [first, second].filter((w) => windowContains(w, ts)).length;
      expect([formatInstant(ts), hits]).toEqual([formatInstant(ts), 1]);
    }
    expect(windowContains(second, second.high)).toBe(false);
  });

  it('reports empty windows (low ≥ high) and never moves the checkpoint backwards', () => {
    const checkpoint = now + 10n;
    const window = planWindow(incremental, { now, checkpointHigh: checkpoint });
    expect(isEmptyWindow(window)).toBe(true);
    expect(windowContains(window, now)).toBe(false);
    expect(nextCheckpointHigh(window, checkpoint)).toBe(checkpoint);
    expect(isEmptyWindow(planWindow(incremental, { now, checkpointHigh: now - 1n }))).toBe(false);
  });

  it('leaves the checkpoint alone for full and backfill runs', () => {
    const backfill = planWindow(incremental, { now, checkpointHigh: null, backfill: { from: 0n, to: now } });
    expect(nextCheckpointHigh(backfill, 5n)).toBe(5n);
    expect(
      nextCheckpointHigh(planWindow({ incremental: false }, { now, checkpointHigh: null }), null),
    ).toBeNull();
  });
});
