import type { ProcessingResult } from './received-message.js';

interface Entry {
  readonly controller: AbortController;
  readonly abandoned: AbortController;
  readonly done: Promise<ProcessingResult>;
  abandon(): void;
}

export interface DrainReport {
  readonly finished: number;
  readonly abandoned: number;
}

const abandoned: ProcessingResult = { settlement: 'nack', outcome: 'abandoned' };
const refused: ProcessingResult = { settlement: 'nack', outcome: 'refused' };

/**
 * The deliveries a transport is working on. `drain` refuses new work, aborts the running work's
 * signals, waits up to the budget, then settles whatever is unfinished as a nack — never an ack.
 */
export class InFlightWork {
  readonly #entries = new Set<Entry>();
  #draining = false;

  get size(): number {
    return this.#entries.size;
  }

  get draining(): boolean {
    return this.#draining;
  }

  /**
   * Runs `work`; resolves with its result, or a nack if it is still running when the drain budget
   * ends. `work` gets the shutdown signal (aborted when draining begins) and the abandon signal
   * (aborted when its nack has been decided: whatever it finishes with afterwards is ignored).
   */
  run(
    work: (signal: AbortSignal, abandonedSignal: AbortSignal) => Promise<ProcessingResult>,
  ): Promise<ProcessingResult> {
    if (this.#draining) return Promise.resolve(refused);
    const controller = new AbortController();
    const abandonedController = new AbortController();
    let abandon = (): void => undefined;
    const done = new Promise<ProcessingResult>((resolve) => {
      abandon = () => {
        abandonedController.abort(new Error('abandoned at shutdown'));
        resolve(abandoned);
      };
      work(controller.signal, abandonedController.signal).then(resolve, () =>
        resolve({ settlement: 'nack', outcome: 'retried' }),
      );
    });
    const entry: Entry = { controller, abandoned: abandonedController, done, abandon };
    this.#entries.add(entry);
    void done.then(() => this.#entries.delete(entry));
    return done;
  }

  async drain(budgetMs: number): Promise<DrainReport> {
    this.#draining = true;
    const entries = [...this.#entries];
    for (const entry of entries) entry.controller.abort(new Error('shutting down'));
    let timer: NodeJS.Timeout | undefined;
    const budget = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, budgetMs);
    });
    await Promise.race([Promise.all(entries.map((entry) => entry.done)), budget]);
    clearTimeout(timer);
    const unfinished = [...this.#entries];
    for (const entry of unfinished) entry.abandon();
    await Promise.all(unfinished.map((entry) => entry.done));
    return { finished: entries.length - unfinished.length, abandoned: unfinished.length };
  }
}
