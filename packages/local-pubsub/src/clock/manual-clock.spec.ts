import { describe, expect, it } from '@jest/globals';
import { ManualClock } from './manual-clock.js';

describe('ManualClock', () => {
  it('fires due timers in time order while advancing, including timers they set', () => {
    const clock = new ManualClock(1_000);
    const fired: string[] = [];
    clock.setTimer(() => fired.push(`b@${clock.now()}`), 200);
    clock.setTimer(() => {
      fired.push(`a@${clock.now()}`);
      clock.setTimer(() => fired.push(`c@${clock.now()}`), 50);
    }, 100);
    const cancelled = clock.setTimer(() => fired.push('never'), 10);
    clock.clearTimer(cancelled);
    clock.advance(300);
    expect(fired).toEqual(['a@1100', 'c@1150', 'b@1200']);
    expect(clock.now()).toBe(1_300);
    expect(clock.pendingTimers()).toBe(0);
  });
});
