import type { CheckpointStore, HeldLease } from './checkpoint-store.js';

export interface LeaseRenewal {
  /** How often the lease is extended. */
  readonly everyMs: number;
  /** The expiry to write at each renewal. */
  readonly expiresAt: () => string;
  /** A failed renewal is reported, not thrown: the run's next checkpoint write decides. */
  readonly onError: (error: unknown) => void;
}

/**
 * Holds a run's lease while the run works: extends it on a timer so a long export is not taken
 * over, and serialises every checkpoint write of the run (renewals, `announced`, finish,
 * release) so each starts from the generation the previous one wrote.
 */
export class LeaseKeeper {
  #held: HeldLease;
  #queue: Promise<unknown> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly checkpoints: CheckpointStore,
    held: HeldLease,
    private readonly renewal: LeaseRenewal,
  ) {
    this.#held = held;
  }

  get held(): HeldLease {
    return this.#held;
  }

  start(): void {
    this.#timer ??= setInterval(() => {
      this.apply((held) => this.checkpoints.renew(held, this.renewal.expiresAt())).catch(
        this.renewal.onError,
      );
    }, this.renewal.everyMs);
    this.#timer.unref();
  }

  /** Stops renewing and waits for a renewal in progress. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#queue.catch(() => undefined);
  }

  /** Runs one checkpoint write after the ones before it; the lease it returns becomes current. */
  apply(write: (held: HeldLease) => Promise<HeldLease>): Promise<HeldLease> {
    const next = this.#queue
      .catch(() => undefined)
      .then(async () => {
        this.#held = await write(this.#held);
        return this.#held;
      });
    this.#queue = next;
    return next;
  }
}
