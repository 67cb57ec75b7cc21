interface Waiter {
  readonly count: number;
  readonly resolve: () => void;
}

/** What a sink has received, in arrival order, with a way to wait for more. */
export class Inbox<T> {
  private readonly items: T[] = [];
  private waiters: Waiter[] = [];

  add(item: T): void {
    this.items.push(item);
    const ready = this.waiters.filter((waiter) => this.items.length >= waiter.count);
    this.waiters = this.waiters.filter((waiter) => this.items.length < waiter.count);
    for (const waiter of ready) waiter.resolve();
  }

  all(): readonly T[] {
    return [...this.items];
  }

  clear(): void {
    this.items.length = 0;
  }

  /** Resolves with everything received once there are at least `count` items; rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs: number): Promise<readonly T[]> {
    if (this.items.length >= count) return Promise.resolve(this.all());
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve(this.all());
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((other) => other !== waiter);
        reject(new Error(`expected ${count} item(s) within ${timeoutMs} ms, got ${this.items.length}`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }
}
