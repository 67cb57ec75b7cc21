import { ApiError } from '../http/api-error.js';
import type { TableRef } from '../sql/translation.js';

/**
 * Tables the caller has lost permission on (a fault control for tests): a query that names one
 * fails as BigQuery answers a principal without `bigquery.tables.getData`, 403 `accessDenied`.
 */
export class AccessDenials {
  readonly #denied = new Set<string>();

  deny(dataset: string, table: string): void {
    this.#denied.add(`${dataset}.${table}`);
  }

  restore(dataset: string, table: string): void {
    this.#denied.delete(`${dataset}.${table}`);
  }

  clear(): void {
    this.#denied.clear();
  }

  /** Throws the 403 for the first denied table among `tables`. */
  check(projectId: string, tables: readonly TableRef[]): void {
    const denied = tables.find(({ dataset, table }) => this.#denied.has(`${dataset}.${table}`));
    if (denied === undefined) return;
    const name = `${projectId}:${denied.dataset}.${denied.table}`;
    throw new ApiError(
      'accessDenied',
      `Access Denied: Table ${name}: User does not have permission to query table ${name}, or perhaps it does not exist.`,
    );
  }
}
