import { describe, expect, it } from '@jest/globals';

import { parseInstant } from './instant.js';
import { isTimeTravelLimit, LATE_ROWS_MAX_SNAPSHOT_AGE_MICROS, planLateRowsCount } from './late-rows.js';
import type { ExportWindow } from './window.js';

const low = parseInstant('2026-01-10T00:00:00Z');
const high = parseInstant('2026-01-11T00:00:00Z');
const snapshot = parseInstant('2026-01-11T00:05:00Z');
const previousSnapshot = parseInstant('2026-01-10T00:05:00Z');
const settings = { source_table: 'prod_staging.orders', timestamp_column: 'updated_at' };
const incremental: ExportWindow = { mode: 'incremental', low, high, scanLow: low };
const request = { snapshot, previousSnapshot, now: snapshot };

describe('planLateRowsCount', () => {
  it('counts rows below the window in the 7-day horizon at both snapshots, in one query', () => {
    const plan = planLateRowsCount(settings, incremental, request);
    expect(plan).toEqual({
      kind: 'count',
      query: {
        sql: [
          'SELECT now_rows.n - then_rows.n AS late_rows',
          'FROM (SELECT COUNT(*) AS n FROM `prod_staging`.`orders` FOR SYSTEM_TIME AS OF @snapshot WHERE `updated_at` >= @horizon AND `updated_at` < @below) AS now_rows',
          'CROSS JOIN (SELECT COUNT(*) AS n FROM `prod_staging`.`orders` FOR SYSTEM_TIME AS OF @previous WHERE `updated_at` >= @horizon AND `updated_at` < @below) AS then_rows',
        ].join('\n'),
        params: {
          snapshot: { value: '2026-01-11T00:05:00.000000Z' },
          previous: { value: '2026-01-10T00:05:00.000000Z' },
          horizon: { value: '2026-01-03T00:00:00.000000Z' },
          below: { value: '2026-01-10T00:00:00.000000Z' },
        },
        types: { snapshot: 'TIMESTAMP', previous: 'TIMESTAMP', horizon: 'TIMESTAMP', below: 'TIMESTAMP' },
      },
    });
  });

  it('counts below the lookback margin, which the run reads again', () => {
    const scanLow = parseInstant('2026-01-09T23:00:00Z');
    const plan = planLateRowsCount(settings, { ...incremental, scanLow }, request);
    expect(plan?.kind === 'count' ? plan.query.params['below'] : undefined).toEqual({
      value: '2026-01-09T23:00:00.000000Z',
    });
  });

  it('is unknown without a previous snapshot, or when time travel no longer reaches it', () => {
    expect(planLateRowsCount(settings, incremental, { ...request, previousSnapshot: null })).toEqual({
      kind: 'unknown',
      reason: 'no_previous_snapshot',
    });
    const tooOld = snapshot - LATE_ROWS_MAX_SNAPSHOT_AGE_MICROS - 1n;
    expect(planLateRowsCount(settings, incremental, { ...request, previousSnapshot: tooOld })).toEqual({
      kind: 'unknown',
      reason: 'previous_snapshot_expired',
    });
    expect(
      planLateRowsCount(settings, incremental, {
        ...request,
        previousSnapshot: snapshot - LATE_ROWS_MAX_SNAPSHOT_AGE_MICROS,
      })?.kind,
    ).toBe('count');
  });

  it('is zero for a window unbounded below, and not planned for full or backfill runs', () => {
    expect(planLateRowsCount(settings, { ...incremental, low: null, scanLow: null }, request)).toEqual({
      kind: 'known',
      lateRows: 0,
    });
    expect(planLateRowsCount(settings, { ...incremental, mode: 'full' }, request)).toBeUndefined();
    expect(planLateRowsCount(settings, { ...incremental, mode: 'backfill' }, request)).toBeUndefined();
  });

  it('validates the identifiers it quotes', () => {
    expect(() =>
      planLateRowsCount({ ...settings, timestamp_column: 'bad`col' }, incremental, request),
    ).toThrow(/timestamp_column/);
  });
});

describe('isTimeTravelLimit', () => {
  it("recognises BigQuery's time-travel refusal", () => {
    expect(
      isTimeTravelLimit(
        'Invalid snapshot time 1700000000000 for table p:d.t. Cannot read before 1700600000000',
      ),
    ).toBe(true);
    expect(isTimeTravelLimit('Not found: Table p:d.t')).toBe(false);
  });
});
