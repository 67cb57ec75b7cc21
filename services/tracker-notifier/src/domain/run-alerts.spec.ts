import type { AlertSettings } from '@bq-sftp-export/config';
import { describe, expect, it } from '@jest/globals';

import { renderAlertEmail, renderAlertSlack } from './render-alert.js';
import { decideRunAlerts, median, recentRunsKept, stalledRunsOf, volumeVerdictOf } from './run-alerts.js';
import type { RecentRun } from './run-alerts.js';
import { events, runFacts } from './testing/events.js';

const volume = { runs: 10, minRuns: 3, dropBelow: 0.5, spikeAbove: 2 };

function run(index: number, rows?: number, value?: string): RecentRun {
  return {
    eventId: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
    runId: `run-${index}`,
    occurredAt: new Date(Date.UTC(2026, 10, 1, index)).toISOString(),
    ...(rows === undefined ? {} : { rows, bytes: rows * 10 }),
    ...(value === undefined ? {} : { lastExportedValue: value }),
  };
}

function delivered(index: number, rows: number | undefined, value?: string) {
  const event = events.delivered(runFacts(`run-${index}`, index * 60));
  const { rowCount: _rows, lastExportedValue: _value, ...rest } = event;
  return {
    ...rest,
    byteSize: (rows ?? 100) * 10,
    ...(rows === undefined ? {} : { rowCount: rows }),
    ...(value === undefined ? {} : { lastExportedValue: value }),
  };
}

describe('median', () => {
  it.each<[number[], number | undefined]>([
    [[], undefined],
    [[7], 7],
    [[3, 1, 2], 2],
    [[4, 1, 3, 2], 2.5],
    [[10, 10, 1000], 10],
  ])('of %j is %p', (values, expected) => {
    expect(median(values)).toBe(expected);
  });
});

describe('volumeVerdictOf', () => {
  const baseline = [run(1, 100), run(2, 120), run(3, 80)];

  it('says nothing before min_runs delivered files are known', () => {
    expect(volumeVerdictOf(run(9, 1), baseline.slice(0, 2), volume)).toBeUndefined();
  });

  it.each<[number, string | undefined]>([
    [49, 'volume-drop'],
    [50, undefined],
    [100, undefined],
    [200, undefined],
    [201, 'volume-spike'],
  ])('rows %d against a median of 100 is %p', (rows, kind) => {
    expect(volumeVerdictOf(run(9, rows), baseline, volume)?.kind).toBe(kind);
  });

  it('takes the median over the last `runs` delivered files, skipping empty windows', () => {
    const history = [run(1, 1000), run(2, 0), { ...run(3), rows: 0 }, run(4, 100), run(5, 100), run(6, 100)];
    const verdict = volumeVerdictOf(run(9, 240), history, { ...volume, runs: 3 });
    expect(verdict).toEqual({
      kind: 'volume-spike',
      metric: 'rows',
      value: 240,
      median: 100,
      baselineRuns: 3,
    });
  });

  it('compares bytes when the run has no row count', () => {
    const noRows = { ...run(9), bytes: 300 };
    expect(volumeVerdictOf(noRows, baseline, volume)).toMatchObject({ metric: 'bytes', median: 1000 });
  });

  it('never judges an empty window', () => {
    expect(volumeVerdictOf({ ...run(9), rows: 0 }, baseline, volume)).toBeUndefined();
  });
});

describe('stalledRunsOf', () => {
  it.each<[string, (string | undefined)[], number]>([
    ['no value yet', [undefined, undefined], 0],
    ['advancing', ['2026-11-01T00:00:00Z', '2026-11-02T00:00:00Z'], 0],
    [
      'the same value twice after it',
      ['2026-11-02T00:00:00Z', '2026-11-02T00:00:00.000Z', '2026-11-02T00:00:00Z'],
      2,
    ],
    ['empty windows after a value', ['2026-11-02T00:00:00Z', undefined, undefined, undefined], 3],
    ['an older value', ['2026-11-02T00:00:00Z', '2026-11-01T00:00:00Z'], 1],
    ['moving again', ['2026-11-02T00:00:00Z', undefined, '2026-11-03T00:00:00Z'], 0],
    ['non-timestamp values compared as text', ['b', 'a', 'c', 'c'], 1],
  ])('%s', (_name, values, expected) => {
    expect(stalledRunsOf(values.map((value, index) => run(index, 1, value)))).toBe(expected);
  });
});

describe('decideRunAlerts', () => {
  const off: AlertSettings = { zeroRows: false };

  it('raises nothing and keeps nothing with the defaults', () => {
    expect(recentRunsKept(off)).toBe(0);
    const decision = decideRunAlerts([], events.empty(runFacts('run-1')), off, true);
    expect(decision).toEqual({ alerts: [] });
  });

  it('raises zero-rows for an empty window and an empty file, not for a file with rows', () => {
    const on: AlertSettings = { zeroRows: true };
    expect(decideRunAlerts([], events.empty(runFacts('run-1')), on, true).alerts.map((a) => a.kind)).toEqual([
      'zero-rows',
    ]);
    expect(decideRunAlerts([], delivered(1, 0), on, true).alerts.map((a) => a.kind)).toEqual(['zero-rows']);
    expect(decideRunAlerts([], delivered(1, 5), on, true).alerts).toEqual([]);
    expect(decideRunAlerts([], delivered(1, undefined), on, true).alerts).toEqual([]);
  });

  it('judges a redelivered event against the runs before it, and records it once', () => {
    const settings: AlertSettings = { zeroRows: false, volume };
    const history = [run(1, 100), run(2, 100), run(3, 100)];
    const event = delivered(4, 10);
    const first = decideRunAlerts(history, event, settings, true);
    expect(first.alerts.map((alert) => alert.kind)).toEqual(['volume-drop']);
    expect(first.next?.map((entry) => entry.runId)).toEqual(['run-1', 'run-2', 'run-3', 'run-4']);
    const again = decideRunAlerts(first.next ?? [], event, settings, true);
    expect(again.alerts.map((alert) => alert.kind)).toEqual(['volume-drop']);
    expect(again.next).toBeUndefined();
  });

  it('keeps at most `runs` runs and does not record an event older than the last', () => {
    const settings: AlertSettings = { zeroRows: false, volume: { ...volume, runs: 3 } };
    const history = [run(1, 100), run(2, 100), run(3, 100)];
    expect(decideRunAlerts(history, delivered(4, 100), settings, true).next?.map((e) => e.runId)).toEqual([
      'run-2',
      'run-3',
      'run-4',
    ]);
    const late = { ...delivered(0, 100), occurredAt: '2026-10-01T00:00:00Z' };
    expect(decideRunAlerts(history, late, settings, true).next).toBeUndefined();
  });

  it('raises watermark-stalled once, on the K-th run without progress, for incremental exports only', () => {
    const settings: AlertSettings = { zeroRows: false, watermarkStalledRuns: 2 };
    expect(recentRunsKept(settings)).toBe(3);
    const value = '2026-11-26T04:59:59Z';
    let history: readonly RecentRun[] = [];
    const kinds: string[][] = [];
    for (const [index, event] of [
      delivered(1, 5, value),
      delivered(2, 5, value),
      events.empty(runFacts('run-3', 180)),
      delivered(4, 5, value),
    ].entries()) {
      const decision = decideRunAlerts(history, event, settings, true);
      kinds.push(decision.alerts.map((alert) => alert.kind));
      history = decision.next ?? history;
      expect(history.length).toBeLessThanOrEqual(3);
      if (index === 2) {
        expect(decideRunAlerts(history.slice(0, 2), event, settings, false).alerts).toEqual([]);
        expect(decision.alerts[0]?.figures).toContainEqual(['Last exported value', value]);
      }
    }
    expect(kinds).toEqual([[], [], ['watermark-stalled'], []]);
  });

  it('renders an alert without the recipients or secrets, with its figures and advice', () => {
    const settings: AlertSettings = { zeroRows: false, volume };
    const [alert] = decideRunAlerts(
      [run(1, 100), run(2, 100), run(3, 100)],
      delivered(4, 250),
      settings,
      true,
    ).alerts;
    if (alert === undefined) throw new Error('expected an alert');
    const email = renderAlertEmail(alert);
    expect(email.subject).toBe('[bq-sftp-export] ALERT shopify_customers: volume spiked, 2026-11-26');
    expect(email.text).toContain('This run delivered 250 rows, 2.50× the median of the export');
    expect(email.text).toContain('Median: 100 rows over 3 runs');
    expect(email.html).toContain('<h2>shopify_customers: volume spiked</h2>');
    const slack = renderAlertSlack(alert);
    expect(slack.text).toBe('shopify_customers: volume spiked (run run-4)');
    expect(JSON.stringify(slack.blocks)).toContain('spike_above');
  });
});
