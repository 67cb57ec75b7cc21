import { describe, expect, it } from '@jest/globals';

import { events, runFacts } from './testing/events.js';
import { decideOutcome } from './export-state.js';
import { isWanted, runResultOf } from './run-outcome.js';

describe('runResultOf', () => {
  const run = runFacts('run-1');
  it('settles a run on delivery, an empty window or a final failure only', () => {
    expect(runResultOf(events.delivered(run))).toBe('success');
    expect(runResultOf(events.empty(run))).toBe('success');
    expect(runResultOf(events.extractFailed(run))).toBe('failure');
    expect(runResultOf(events.uploadFailed(run, false))).toBe('failure');
    expect(runResultOf(events.uploadFailed(run, true, 10))).toBe('failure');
    for (const event of [
      events.started(run),
      events.staged(run),
      events.skipped(run),
      events.duplicate(run),
      events.uploadFailed(run, true, 9),
      events.extractFailed(run, true, 1),
    ]) {
      expect(runResultOf(event)).toBeUndefined();
    }
  });
});

describe('isWanted', () => {
  it('sends successes and failures as configured, recoveries to anyone hearing of either', () => {
    const off = { onSuccess: false, onFailure: false };
    expect(isWanted('success', { ...off, onSuccess: true })).toBe(true);
    expect(isWanted('success', { ...off, onFailure: true })).toBe(false);
    expect(isWanted('failure', { ...off, onFailure: true })).toBe(true);
    expect(isWanted('failure', { ...off, onSuccess: true })).toBe(false);
    expect(isWanted('recovery', { ...off, onFailure: true })).toBe(true);
    expect(isWanted('recovery', { ...off, onSuccess: true })).toBe(true);
    expect(isWanted('recovery', off)).toBe(false);
  });
});

describe('decideOutcome', () => {
  const failed = events.extractFailed(runFacts('run-1', 0));
  const delivered = events.delivered(runFacts('run-2', 60));

  it('announces the first result as it is and records it', () => {
    const decision = decideOutcome(undefined, failed, 'failure');
    expect(decision.outcome).toBe('failure');
    expect(decision.next).toEqual({
      lastResult: 'failure',
      runId: 'run-1',
      eventId: failed.eventId,
      occurredAt: failed.occurredAt,
    });
  });

  it('announces a success after a failure as a recovery', () => {
    const state = decideOutcome(undefined, failed, 'failure').next;
    const decision = decideOutcome(state, delivered, 'success');
    expect(decision.outcome).toBe('recovery');
    expect(decision.next).toMatchObject({ lastResult: 'success', previousResult: 'failure', runId: 'run-2' });
    expect(decideOutcome(decision.next, events.delivered(runFacts('run-3', 120)), 'success').outcome).toBe(
      'success',
    );
  });

  it('decides a redelivered event as the first time and leaves the state alone', () => {
    const state = decideOutcome(decideOutcome(undefined, failed, 'failure').next, delivered, 'success').next;
    expect(decideOutcome(state, delivered, 'success')).toEqual({ outcome: 'recovery' });
  });

  it('announces an event older than the state for its run without moving the state', () => {
    const state = decideOutcome(undefined, delivered, 'success').next;
    expect(decideOutcome(state, failed, 'failure')).toEqual({ outcome: 'failure' });
  });
});
