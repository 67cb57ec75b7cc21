import { describe, expect, it } from '@jest/globals';
import { InFlightWork } from './in-flight-work.js';
import { deferred } from './testing/deferred.js';

describe('InFlightWork', () => {
  it('passes results through and forgets finished work', async () => {
    const work = new InFlightWork();
    await expect(work.run(() => Promise.resolve({ settlement: 'ack', outcome: 'acked' }))).resolves.toEqual({
      settlement: 'ack',
      outcome: 'acked',
    });
    expect(work.size).toBe(0);
  });

  it('turns a rejected work promise into a nack', async () => {
    const work = new InFlightWork();
    await expect(work.run(() => Promise.reject(new Error('bug')))).resolves.toEqual({
      settlement: 'nack',
      outcome: 'retried',
    });
  });

  it('drain: aborts running work, keeps what finishes in time, abandons the rest as nacks, refuses new work', async () => {
    const work = new InFlightWork();
    const stuck = deferred();
    const signals: AbortSignal[] = [];
    const abandonedSignals: AbortSignal[] = [];
    const quick = work.run((signal, abandoned) => {
      signals.push(signal);
      abandonedSignals.push(abandoned);
      return new Promise((resolve) =>
        signal.addEventListener('abort', () => resolve({ settlement: 'ack', outcome: 'acked' })),
      );
    });
    const slow = work.run(async (signal, abandoned) => {
      signals.push(signal);
      abandonedSignals.push(abandoned);
      await stuck.promise;
      return { settlement: 'ack', outcome: 'acked' };
    });

    await expect(work.drain(30)).resolves.toEqual({ finished: 1, abandoned: 1 });
    expect(signals.every((signal) => signal.aborted)).toBe(true);
    expect(abandonedSignals.map((signal) => signal.aborted)).toEqual([false, true]);
    await expect(quick).resolves.toEqual({ settlement: 'ack', outcome: 'acked' });
    await expect(slow).resolves.toEqual({ settlement: 'nack', outcome: 'abandoned' });
    await expect(work.run(() => Promise.resolve({ settlement: 'ack', outcome: 'acked' }))).resolves.toEqual({
      settlement: 'nack',
      outcome: 'refused',
    });
    stuck.resolve();
    await expect(slow).resolves.toEqual({ settlement: 'nack', outcome: 'abandoned' });
  });
});
