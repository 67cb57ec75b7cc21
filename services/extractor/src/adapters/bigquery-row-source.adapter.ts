import type { BigQuery, Job, TableField } from '@google-cloud/bigquery';
import type { ExportQuery } from '@bq-sftp-export/export-domain';
import { isAppError } from '@bq-sftp-export/runtime';

import type { RowSource, RowStream } from '../application/row-source.port.js';
import { columnFromField, type ExportRow } from '../domain/encoding/column-schema.js';
import { translateBigQueryError } from './bigquery-errors.js';

/**
 * Row reading options: INT64 as exact `bigint`, JSON left as text (the encoders render the
 * SDK's shapes; see `domain/encoding/value-text.ts`).
 */
export const exactRowOptions = {
  wrapIntegers: { integerTypeCastFunction: (value: string) => BigInt(value) },
  parseJSON: false,
} as const;

export interface BigQueryRowSourceOptions {
  /** Job location (`US`, `EU`, …); default: BigQuery's choice from the table. */
  readonly location?: string;
}

/**
 * RowSource on BigQuery: `createQueryJob` (standard SQL, named typed parameters), wait for the
 * job with `getQueryResults({maxResults: 0})` to learn the result schema, then
 * `getQueryResultsStream`, which fetches the next page only as the consumer reads: memory
 * holds about a page, never the whole result.
 */
export class BigQueryRowSource implements RowSource {
  constructor(
    private readonly bigquery: BigQuery,
    private readonly options: BigQueryRowSourceOptions = {},
  ) {}

  async openRows(
    query: ExportQuery,
    options: { readonly signal?: AbortSignal | undefined } = {},
  ): Promise<RowStream> {
    let job: Job;
    try {
      [job] = await this.bigquery.createQueryJob({
        query: query.sql,
        params: query.params,
        types: query.types,
        useLegacySql: false,
        ...(this.options.location === undefined ? {} : { location: this.options.location }),
      });
    } catch (error) {
      throw translateBigQueryError(error, 'start query');
    }
    const fields = await this.waitForSchema(job, options.signal);
    const columns = fields.map((field) =>
      columnFromField({ name: field.name ?? '', type: field.type, mode: field.mode }),
    );
    return { columns, rows: this.rows(job, options.signal) };
  }

  private async waitForSchema(job: Job, signal: AbortSignal | undefined): Promise<TableField[]> {
    for (;;) {
      signal?.throwIfAborted();
      let response: { jobComplete?: boolean; schema?: { fields?: TableField[] } } | undefined;
      try {
        [, , response] = (await job.getQueryResults({ maxResults: 0, autoPaginate: false })) as unknown as [
          unknown,
          unknown,
          typeof response,
        ];
      } catch (error) {
        throw translateBigQueryError(error, 'run query');
      }
      if (response?.jobComplete !== false) return response?.schema?.fields ?? [];
    }
  }

  private async *rows(job: Job, signal: AbortSignal | undefined): AsyncIterable<ExportRow> {
    // No `maxResults`: the client's paginator treats it as a cap on the total, not a page
    // size. BigQuery then pages by its own limit (about 10 MB of rows per page).
    const stream = job.getQueryResultsStream({ ...exactRowOptions });
    const abort = (): void => {
      stream.destroy(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
    };
    signal?.addEventListener('abort', abort, { once: true });
    try {
      for await (const row of stream) yield row as ExportRow;
    } catch (error) {
      throw isAppError(error) ? error : translateBigQueryError(error, 'read query results');
    } finally {
      signal?.removeEventListener('abort', abort);
      stream.destroy();
    }
  }
}
