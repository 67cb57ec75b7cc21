import { describe, expect, it } from '@jest/globals';

import { isPollTimeout, pollUntil } from './poll-until.js';
import type { PollTimeoutError } from './poll-until.js';

describe('pollUntil', () => {
  it('returns the first value other than undefined, sync or async', async () => {
    let calls = 0;
    await expect(
      pollUntil(() => (++calls >= 3 ? `after ${calls}` : undefined), {
        describe: 'three calls',
        timeoutMs: 5_000,
        intervalMs: 1,
      }),
    ).resolves.toBe('after 3');
    let asyncCalls = 0;
    await expect(
      pollUntil(() => Promise.resolve(++asyncCalls >= 2 ? 0 : undefined), {
        describe: 'two calls',
        timeoutMs: 5_000,
        intervalMs: 1,
      }),
    ).resolves.toBe(0);
  });

  it('waits for `until` to accept the value and names the last value on timeout', async () => {
    let n = 0;
    await expect(
      pollUntil(() => ++n, {
        describe: 'n to reach 4',
        timeoutMs: 5_000,
        intervalMs: 1,
        until: (v) => v >= 4,
      }),
    ).resolves.toBe(4);
    const error = await pollUntil(() => ({ outstanding: 3 }), {
      describe: 'the acks',
      timeoutMs: 30,
      intervalMs: 5,
      until: (v) => v.outstanding === 0,
    }).catch((e: unknown) => e);
    expect(isPollTimeout(error)).toBe(true);
    expect((error as PollTimeoutError).message).toBe(
      'timed out after 30 ms waiting for the acks; last value: {"outstanding":3}',
    );
    expect((error as PollTimeoutError).lastValue).toEqual({ outstanding: 3 });
  });

  it('says so when the check never returned a value, and calls it once more at the deadline', async () => {
    let calls = 0;
    const started = Date.now();
    const error = await pollUntil(
      () => {
        calls++;
        return undefined;
      },
      { describe: 'nothing', timeoutMs: 50, intervalMs: 20 },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe(
      'timed out after 50 ms waiting for nothing; the check never returned a value',
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(50);
    expect(calls).toBeGreaterThanOrEqual(3);
  });

  it('ends at once when the check throws, unless told to retry errors', async () => {
    let calls = 0;
    await expect(
      pollUntil(
        () => {
          calls++;
          throw new Error('the uploader exited');
        },
        { describe: 'the uploader', timeoutMs: 5_000 },
      ),
    ).rejects.toThrow('the uploader exited');
    expect(calls).toBe(1);

    let attempt = 0;
    await expect(
      pollUntil(
        () => {
          if (++attempt < 3) throw new Error(`not yet ${attempt}`);
          return 'up';
        },
        { describe: 'the server', timeoutMs: 5_000, intervalMs: 1, retryErrors: true },
      ),
    ).resolves.toBe('up');

    const timeout = await pollUntil(
      () => {
        throw new Error('connection refused');
      },
      { describe: 'the server', timeoutMs: 20, intervalMs: 5, retryErrors: true },
    ).catch((e: unknown) => e);
    expect((timeout as Error).message).toBe(
      'timed out after 20 ms waiting for the server; last error: connection refused',
    );
    expect(((timeout as Error).cause as Error).message).toBe('connection refused');
  });

  it('previews bigints and truncates long values', async () => {
    const error = await pollUntil(() => ({ id: 1n, text: 'x'.repeat(400) }), {
      describe: 'a short row',
      timeoutMs: 1,
      until: () => false,
    }).catch((e: unknown) => e);
    const message = (error as Error).message;
    expect(message).toContain('last value: {"id":"1n","text":"xxx');
    expect(message.endsWith('…')).toBe(true);
    expect(isPollTimeout(new Error('timed out'))).toBe(false);
  });
});
