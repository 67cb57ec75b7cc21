import type { Logger } from '../logging/logger.js';
import { serializeError } from '../logging/safe-log-value.js';

/** Something that stops taking work and finishes or abandons what it holds within `budgetMs`. */
export interface Stoppable {
  stop(budgetMs: number): Promise<void>;
}

/** The part of `process` the controller listens to; a plain EventEmitter in tests. */
export interface SignalSource {
  on(signal: 'SIGTERM' | 'SIGINT', listener: () => void): unknown;
  off(signal: 'SIGTERM' | 'SIGINT', listener: () => void): unknown;
}

export interface ShutdownOptions {
  /** Time given to in-flight work before it is abandoned (nacked). Default 8 s, inside Cloud Run's 10 s. */
  readonly budgetMs?: number;
  /** Extra time for closing clients after the budget, before `shutdown()` resolves regardless. Default 1.5 s. */
  readonly graceMs?: number;
  readonly logger?: Logger;
}

export const DEFAULT_SHUTDOWN_BUDGET_MS = 8_000;

/**
 * Graceful shutdown: on SIGTERM (or `shutdown()` in tests) it aborts `signal`, asks every
 * registered transport to stop within the budget, and resolves when they all have — or when the
 * budget plus grace has run out, so the process always exits within Cloud Run's 10 s.
 */
export class ShutdownController {
  readonly budgetMs: number;
  readonly #graceMs: number;
  readonly #logger: Logger | undefined;
  readonly #abort = new AbortController();
  readonly #stoppables: Array<{ name: string; stoppable: Stoppable }> = [];
  #stopped: Promise<void> | undefined;

  constructor(options: ShutdownOptions = {}) {
    this.budgetMs = options.budgetMs ?? DEFAULT_SHUTDOWN_BUDGET_MS;
    this.#graceMs = options.graceMs ?? 1_500;
    this.#logger = options.logger;
  }

  /** Aborted as soon as shutdown begins. */
  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  get isShuttingDown(): boolean {
    return this.#abort.signal.aborted;
  }

  register(name: string, stoppable: Stoppable): void {
    this.#stoppables.push({ name, stoppable });
  }

  /** Begins shutdown (idempotent) and resolves once everything registered has stopped or the time is up. */
  shutdown(reason: string): Promise<void> {
    this.#stopped ??= this.#run(reason);
    return this.#stopped;
  }

  /** Calls `shutdown` on SIGTERM/SIGINT, then `onStopped` (e.g. to exit). Returns a function that stops listening. */
  listen(source: SignalSource, onStopped: () => void = () => undefined): () => void {
    const onSignal = (signal: 'SIGTERM' | 'SIGINT') => () => {
      void this.shutdown(signal).then(onStopped);
    };
    const onTerm = onSignal('SIGTERM');
    const onInt = onSignal('SIGINT');
    source.on('SIGTERM', onTerm);
    source.on('SIGINT', onInt);
    return () => {
      source.off('SIGTERM', onTerm);
      source.off('SIGINT', onInt);
    };
  }

  async #run(reason: string): Promise<void> {
    this.#logger?.info('shutting down', {
      reason,
      budgetMs: this.budgetMs,
      stoppables: this.#stoppables.length,
    });
    this.#abort.abort(new Error(`shutdown: ${reason}`));
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.budgetMs + this.#graceMs);
    });
    const pending = new Set(this.#stoppables.map(({ name }) => name));
    const all = Promise.all(
      this.#stoppables.map(async ({ name, stoppable }) => {
        try {
          await stoppable.stop(this.budgetMs);
        } catch (error) {
          this.#logger?.error('stopping failed', { stoppable: name, err: serializeError(error) });
        } finally {
          pending.delete(name);
        }
      }),
    );
    const result = await Promise.race([all.then(() => 'stopped' as const), deadline]);
    clearTimeout(timer);
    if (result === 'timeout') {
      this.#logger?.error('shutdown ran out of time', { pending: [...pending] });
    } else {
      this.#logger?.info('shut down', { reason });
    }
  }
}
