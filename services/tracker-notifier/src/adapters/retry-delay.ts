import { setTimeout as sleep } from 'node:timers/promises';

/** Waits `ms`, or rejects as soon as `signal` aborts (shutdown: the message is then nacked). */
export async function waitBeforeRetry(ms: number, signal: AbortSignal | undefined): Promise<void> {
  await sleep(ms, undefined, signal === undefined ? {} : { signal });
}
