/**
 * Remembers `insertId`s of streamed rows for a time window, so a retried insertAll does not
 * add a row twice (BigQuery's best-effort de-duplication, at least one minute).
 */
export class InsertIdWindow {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** True when the id was recorded for this table within the window. */
  has(table: string, insertId: string): boolean {
    this.expire(this.now());
    return this.seen.has(`${table}\u0000${insertId}`);
  }

  /** Records ids of rows that were written. */
  remember(table: string, insertIds: readonly string[]): void {
    const expiry = this.now() + this.windowMs;
    for (const insertId of insertIds) {
      const key = `${table}\u0000${insertId}`;
      this.seen.delete(key);
      this.seen.set(key, expiry);
    }
  }

  clear(): void {
    this.seen.clear();
  }

  private expire(now: number): void {
    // Entries are inserted in time order, so expired ones are at the front.
    for (const [key, expiry] of this.seen) {
      if (expiry > now) break;
      this.seen.delete(key);
    }
  }
}
