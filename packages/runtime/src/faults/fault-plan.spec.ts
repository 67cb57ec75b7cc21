import { describe, expect, it } from '@jest/globals';

import { isAppError } from '../errors/app-error.js';
import { FAULT_INJECTION_INVALID, parseFaultPlan } from './fault-plan.js';

const plan = (value: string | undefined, extra: Record<string, string> = {}) =>
  parseFaultPlan({ BQX_FAULT_INJECTION: value, ...extra });

function refusal(value: string, extra: Record<string, string> = {}): string {
  try {
    plan(value, extra);
  } catch (error) {
    expect(isAppError(error) && error.code === FAULT_INJECTION_INVALID).toBe(true);
    return (error as Error).message;
  }
  throw new Error(`"${value}" was accepted`);
}

describe('parseFaultPlan', () => {
  it('has no rules without the variable, or with it empty', () => {
    expect(plan(undefined)).toEqual([]);
    expect(plan('  ')).toEqual([]);
  });

  it('reads point, action, hit, percentage and delay; the first hit by default', () => {
    expect(
      plan(
        'uploader.renamed:kill, extractor.row-read:kill@250,uploader.chunk-sent:kill@50%,uploader.connected:kill+120ms,tracker.history-written:hang@2',
      ),
    ).toEqual([
      { point: 'uploader.renamed', action: 'kill', trigger: { kind: 'hit', hit: 1 }, delayMs: 0 },
      { point: 'extractor.row-read', action: 'kill', trigger: { kind: 'hit', hit: 250 }, delayMs: 0 },
      {
        point: 'uploader.chunk-sent',
        action: 'kill',
        trigger: { kind: 'progress', percent: 50 },
        delayMs: 0,
      },
      { point: 'uploader.connected', action: 'kill', trigger: { kind: 'hit', hit: 1 }, delayMs: 120 },
      { point: 'tracker.history-written', action: 'hang', trigger: { kind: 'hit', hit: 2 }, delayMs: 0 },
    ]);
  });

  it('refuses to arm anything on Cloud Run', () => {
    expect(refusal('uploader.renamed:kill', { K_SERVICE: 'uploader' })).toContain('Cloud Run');
  });

  it.each([
    ['uploader.renamed', 'expected <point>'],
    ['uploader.renamed:explode', 'expected <point>'],
    ['uploader.nowhere:kill', 'unknown fault point "uploader.nowhere"'],
    ['uploader.renamed:kill@0', 'hits count from 1'],
    ['uploader.renamed:kill@50%', 'reports no progress'],
    ['uploader.chunk-sent:kill@150%', 'percent over 100'],
    ['uploader.renamed:hang+10ms', 'a delay applies to kill and pause only'],
    ['extractor.lease-taken:pause', 'pause needs its length'],
    ['uploader.renamed:kill,uploader.renamed:hang', 'armed twice'],
  ])('refuses %s, naming the problem', (value, problem) => {
    expect(refusal(value)).toContain(problem);
  });
});
