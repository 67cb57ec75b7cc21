import { describe, expect, it } from '@jest/globals';

import { decideFreshness } from './freshness.js';
import type { RecentRun } from './run-alerts.js';

const names = { exportName: 'shopify_customers', configName: 'default' };
const run = (runId: string, occurredAt: string): RecentRun => ({ eventId: `e-${runId}`, runId, occurredAt });
const recent = [run('run-2', '2026-11-26T06:00:00Z'), run('run-1', '2026-11-26T05:00:00Z')];

describe('decideFreshness', () => {
  it('is fresh up to and including the window, and stale after it, naming the latest run', () => {
    expect(decideFreshness(recent, new Date('2026-11-26T07:00:00Z'), 3600, names)).toBeUndefined();
    const alert = decideFreshness(recent, new Date('2026-11-27T07:30:01Z'), 3600, names);
    expect(alert).toMatchObject({ kind: 'stale', runId: 'run-2', occurredAt: '2026-11-27T07:30:01.000Z' });
    expect(alert?.explanation).toBe(
      "The export's last successful run finished 1 d 1 h ago, longer than its freshness window of 1 h.",
    );
    expect(alert?.figures).toContainEqual(['Last successful run', 'run-2 at 2026-11-26T06:00:00Z']);
  });

  it('judges nothing without a recorded successful run', () => {
    expect(decideFreshness([], new Date('2030-01-01T00:00:00Z'), 60, names)).toBeUndefined();
  });
});
