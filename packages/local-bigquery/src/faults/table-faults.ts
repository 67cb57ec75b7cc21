import { ApiError } from '../http/api-error.js';
import type { TableRef } from '../sql/translation.js';

/**
 * Faults armed per table (a fault control for tests): lost permission, and transient backend
 * errors. A query that names such a table fails as BigQuery answers it.
 */
export class TableFaults {
  readonly #denied = new Set<string>();
  readonly #backendErrors = new Map<string, number>();

  /** Queries naming the table fail with 403 `accessDenied` (no `bigquery.tables.getData`). */
  deny(dataset: string, table: string): void {
    this.#denied.add(`${dataset}.${table}`);
  }

  restore(dataset: string, table: string): void {
    this.#denied.delete(`${dataset}.${table}`);
  }

  /** The next `count` queries naming the table fail with 500 `backendError`. */
  failNext(dataset: string, table: string, count: number): void {
    if (count > 0) this.#backendErrors.set(`${dataset}.${table}`, count);
    else this.#backendErrors.delete(`${dataset}.${table}`);
  }

  clear(): void {
    this.#denied.clear();
    this.#backendErrors.clear();
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
      const remaining = this.#backendErrors.get(key);
      if (remaining !== undefined) {
        if (remaining <= 1) this.#backendErrors.delete(key);
        else this.#backendErrors.set(key, remaining - 1);
        throw new ApiError(
          'backendError',
          'An internal error occurred and the request could not be completed.',
        );
      }
    }
  }
}
