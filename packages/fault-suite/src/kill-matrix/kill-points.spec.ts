import { describe, expect, it } from '@jest/globals';

import { FAULT_POINTS, parseFaultPlan } from '@bq-sftp-export/runtime';

import { KILL_POINTS } from './kill-points.js';

/** A deterministic random sequence, so each case is reproducible. */
function sequence(...values: number[]): () => number {
  let index = 0;
  return () => values[index++ % values.length]!;
}

describe('KILL_POINTS', () => {
  it('covers every fault point of the runtime once', () => {
    expect(KILL_POINTS.map((point) => point.point).sort()).toEqual([...FAULT_POINTS].sort());
  });

  it.each(KILL_POINTS.map((point) => [point.point, point] as const))(
    '%s: the CI rule and random rules are valid kills of that point',
    (name, point) => {
      const rules = [
        point.ciRule,
        ...[0, 0.3, 0.6, 0.99].map((value) => point.randomRule(sequence(value, value), 1500)),
      ];
      for (const rule of rules) {
        expect(parseFaultPlan({ BQX_FAULT_INJECTION: rule })).toEqual([
          expect.objectContaining({ point: name, action: 'kill' }),
        ]);
      }
    },
  );

  it('expects a repeated notification only where a kill falls between sending and recording it', () => {
    const repeats = KILL_POINTS.map((point) => [point.point, point.expectedRepeats(point.ciRule)]);
    expect(repeats.filter(([, repeat]) => JSON.stringify(repeat) !== '{"email":0,"slack":0}')).toEqual([
      ['tracker.notification-sent', { email: 1, slack: 0 }],
    ]);
    const tracker = KILL_POINTS.find((point) => point.point === 'tracker.notification-sent')!;
    expect(tracker.expectedRepeats('tracker.notification-sent:kill@2')).toEqual({ email: 0, slack: 1 });
  });
});
