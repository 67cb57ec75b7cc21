import type { ExportQuery } from '@bq-sftp-export/export-domain';
import type { ServiceIdentifier } from 'inversify';

import type { ColumnSchema, ExportRow } from '../domain/encoding/column-schema.js';

/** The rows of a finished query: the result schema, then the rows, read lazily with backpressure. */
export interface RowStream {
  readonly columns: readonly ColumnSchema[];
  readonly rows: AsyncIterable<ExportRow>;
}

/**
 * Where rows come from (BigQuery). `openRows` runs the query and resolves once its result
 * schema is known; rows are fetched page by page as they are consumed. Errors are `AppError`s:
 * `retryable: false` for a missing table, an invalid query or a permission error.
 */
export interface RowSource {
  openRows(query: ExportQuery, options: { readonly signal?: AbortSignal | undefined }): Promise<RowStream>;
  /** Runs a query whose result is one row of one integer column (a count) and returns it. */
  countRows(query: ExportQuery, options: { readonly signal?: AbortSignal | undefined }): Promise<number>;
}

export const RowSource: ServiceIdentifier<RowSource> = Symbol('RowSource');
