import { setTimeout as sleep } from 'node:timers/promises';

export interface PollOptions<T> {
  /** What is awaited, as the timeout error names it: `the ack`, `two messages`. */
  readonly describe: string;
  /** How long to keep trying, from the first call of `check`. */
  readonly timeoutMs: number;
  /** The pause between two calls of `check`. Default 100 ms. */
  readonly intervalMs?: number;
  /** When a value counts as arrived. Default: any value other than undefined. */
  readonly until?: (value: T) => boolean;
  /**
   * Default false: an error thrown by `check` ends the poll at once (a dead process, a broken
   * probe). True: a thrown error counts as "not yet", and the timeout error names the last one.
   */
  readonly retryErrors?: boolean;
}

const brand = Symbol.for('@bq-sftp-export/testing.PollTimeoutError');

/** Thrown when `pollUntil` gives up; names what was awaited and what `check` last gave. */
export class PollTimeoutError extends Error {
  readonly [brand] = true;
  constructor(
    readonly describe: string,
    readonly timeoutMs: number,
    readonly lastValue: unknown,
    readonly lastError: unknown,
  ) {
    super(
      `timed out after ${timeoutMs} ms waiting for ${describe}; ${lastObserved(lastValue, lastError)}`,
      lastError === undefined ? undefined : { cause: lastError },
    );
    this.name = 'PollTimeoutError';
  }
}

/** True for the error `pollUntil` throws on timeout (by brand, so across module copies too). */
export function isPollTimeout(error: unknown): error is PollTimeoutError {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[brand] === true;
}

function lastObserved(value: unknown, error: unknown): string {
  if (error !== undefined) return `last error: ${error instanceof Error ? error.message : preview(error)}`;
  if (value === undefined) return 'the check never returned a value';
  return `last value: ${preview(value)}`;
}

function preview(value: unknown): string {
  let text: string;
  try {
    text =
      JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

/**
 * Calls `check` (sync or async) every `intervalMs` until it returns a value that satisfies
 * `until` (default: not undefined), and returns that value. After `timeoutMs` it throws a
 * `PollTimeoutError` naming `describe` and the last value or error `check` gave. `check` is
 * always called at least once, and once more at the deadline.
 */
export async function pollUntil<T>(
  check: () => Promise<T | undefined> | T | undefined,
  options: PollOptions<T>,
): Promise<T> {
  const { describe, timeoutMs, intervalMs = 100, until, retryErrors = false } = options;
  const deadline = Date.now() + timeoutMs;
  let lastValue: T | undefined;
  let lastError: unknown;
  for (;;) {
    try {
      lastValue = await check();
      lastError = undefined;
      if (lastValue !== undefined && (until === undefined || until(lastValue))) return lastValue;
    } catch (error) {
      if (!retryErrors) throw error;
      lastError = error;
    }
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new PollTimeoutError(describe, timeoutMs, lastValue, lastError);
    await sleep(Math.min(intervalMs, remaining));
  }
}
