import { ApiError } from '../http/api-error.js';
import type { TableRef } from '../sql/translation.js';

/** Errors a retry may get past: a backend failure (500), a quota used up for now (403). */
export type TransientReason = 'backendError' | 'quotaExceeded';

const transientMessages: Record<TransientReason, string> = {
  backendError: 'An internal error occurred and the request could not be completed.',
  quotaExceeded: 'Quota exceeded: Your project exceeded quota for concurrent queries.',
};

/**
 * Faults armed per table (a fault control for tests): lost permission, and transient errors. A query that names such a table fails as BigQuery answers it.
 */
export class TableFaults {
  readonly #denied = new Set<string>();
  readonly #transient = new Map<string, { remaining: number; reason: TransientReason }>();
  readonly #insertFailures = new Map<string, { remaining: number; reason: TransientReason }>();

  /** Queries naming the table fail with 403 `accessDenied` (no `bigquery.tables.getData`). */
  deny(dataset: string, table: string): void {
    this.#denied.add(`${dataset}.${table}`);
  }

  restore(dataset: string, table: string): void {
    this.#denied.delete(`${dataset}.${table}`);
  }

  /** The next `count` queries naming the table fail with `reason` (500 or 403, as BigQuery answers). */
  failNext(dataset: string, table: string, count: number, reason: TransientReason = 'backendError'): void {
    if (count > 0) this.#transient.set(`${dataset}.${table}`, { remaining: count, reason });
    else this.#transient.delete(`${dataset}.${table}`);
  }

  /** The next `count` insertAll calls into the table fail with `reason`. */
  failNextInserts(
    dataset: string,
    table: string,
    count: number,
    reason: TransientReason = 'backendError',
  ): void {
    if (count > 0) this.#insertFailures.set(`${dataset}.${table}`, { remaining: count, reason });
    else this.#insertFailures.delete(`${dataset}.${table}`);
  }

  clear(): void {
    this.#denied.clear();
    this.#transient.clear();
    this.#insertFailures.clear();
  }

  /** Throws the armed error of an insertAll into the table, if any. */
  checkInsert(dataset: string, table: string): void {
    takeArmed(this.#insertFailures, `${dataset}.${table}`);
  }

  /** Throws the error of the first faulty table among `tables`. */
  check(projectId: string, tables: readonly TableRef[]): void {
    for (const { dataset, table } of tables) {
      const key = `${dataset}.${table}`;
      const name = `${projectId}:${key}`;
      if (this.#denied.has(key)) {
        throw new ApiError(
          'accessDenied',
          `Access Denied: Table ${name}: User does not have permission to query table ${name}, or perhaps it does not exist.`,
        );
      }
      takeArmed(this.#transient, key);
    }
  }
}

function takeArmed(armed: Map<string, { remaining: number; reason: TransientReason }>, key: string): void {
  const fault = armed.get(key);
  if (fault === undefined) return;
  fault.remaining -= 1;
  if (fault.remaining <= 0) armed.delete(key);
  throw new ApiError(fault.reason, transientMessages[fault.reason]);
}
