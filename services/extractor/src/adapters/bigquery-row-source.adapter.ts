import type { BigQuery, Job, TableField, TableRow } from '@google-cloud/bigquery';
import type { ExportQuery } from '@bq-sftp-export/export-domain';
import { AppError, isAppError } from '@bq-sftp-export/runtime';

import type { RowSource, RowStream } from '../application/row-source.port.js';
import { columnFromField, type ExportRow } from '../domain/encoding/column-schema.js';
import { translateBigQueryError } from './bigquery-errors.js';
import { restRows } from './rest-rows.js';
import {
  createSession,
  sessionRows,
  StorageUnavailable,
  type BigQueryReadClient,
  type StorageReadOptions,
  type TableRef,
} from './storage-read.js';

export { exactRowOptions } from './rest-rows.js';

export interface BigQueryRowSourceOptions {
  /** Job location (`US`, `EU`, …); default: BigQuery's choice from the table. */
  readonly location?: string;
  /**
   * Rows per result page (`maxResults` of each `getQueryResults` call). Default 2000: a page
   * of 10 000 wide rows (BigQuery's own ~10 MB page) takes ~100 MB of heap once the client
   * has parsed it, which alone would break the extractor's memory budget.
   */
  readonly pageRows?: number;
  /**
   * Results of at least `minRows` rows are read over the BigQuery Storage Read API (Arrow)
   * with this client; smaller ones, and all of them without a client, through REST pages.
   */
  readonly storage?:
    (StorageReadOptions & { readonly client: BigQueryReadClient; readonly minRows: number }) | undefined;
}

export const DEFAULT_PAGE_ROWS = 2000;

interface ResultPage {
  readonly rows: ExportRow[];
  readonly next: Record<string, unknown> | null;
}

/**
 * RowSource on BigQuery: `createQueryJob` (standard SQL, named typed parameters), wait for the
 * job with `getQueryResults({maxResults: 0})` to learn the result schema, then read the result
 * page by page (`pageRows` rows each), the next page fetched while the consumer takes the
 * current one: memory holds two pages, never the whole result.
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
    const { fields, totalRows } = await this.waitForSchema(job, options.signal);
    const columns = fields.map((field) =>
      columnFromField({ name: field.name ?? '', type: field.type, mode: field.mode }),
    );
    const storage = this.options.storage;
    const destination = destinationOf(job);
    if (
      storage !== undefined &&
      destination !== undefined &&
      totalRows >= storage.minRows &&
      columns.length > 0
    ) {
      try {
        // An ORDER BY result keeps its order only within one stream (BigQuery splits the rows of
        // a multi-stream session as it likes): ordered queries ask for one stream.
        const read = query.ordered === true ? { ...storage, maxStreams: 1 } : storage;
        const session = await createSession(storage.client, destination, read);
        return { columns, rows: sessionRows(storage.client, session, columns, read, options.signal) };
      } catch (error) {
        // No read-session permission or no Storage API: the same rows through REST pages.
        if (!(error instanceof StorageUnavailable))
          throw translateBigQueryError(error, 'create read session');
      }
    }
    return { columns, rows: this.rows(job, fields, options.signal) };
  }

  async countRows(
    query: ExportQuery,
    options: { readonly signal?: AbortSignal | undefined } = {},
  ): Promise<number> {
    options.signal?.throwIfAborted();
    let rows: TableRow[];
    try {
      [rows] = (await this.bigquery.query({
        query: query.sql,
        params: query.params,
        types: query.types,
        useLegacySql: false,
        ...(this.options.location === undefined ? {} : { location: this.options.location }),
      })) as unknown as [TableRow[]];
    } catch (error) {
      throw translateBigQueryError(error, 'run count query');
    }
    const value = Object.values(rows[0] ?? {})[0] as unknown;
    const count = Number(value);
    if (rows.length !== 1 || !Number.isSafeInteger(count)) {
      throw new AppError('count query: expected one row with one integer', {
        code: 'BIGQUERY_RESULT_INVALID',
        retryable: false,
      });
    }
    return count;
  }

  private async waitForSchema(
    job: Job,
    signal: AbortSignal | undefined,
  ): Promise<{ fields: TableField[]; totalRows: number }> {
    for (;;) {
      signal?.throwIfAborted();
      let response:
        | { jobComplete?: boolean; schema?: { fields?: TableField[] }; totalRows?: string | number }
        | undefined;
      try {
        [, , response] = (await job.getQueryResults({ maxResults: 0, autoPaginate: false })) as unknown as [
          unknown,
          unknown,
          typeof response,
        ];
      } catch (error) {
        throw translateBigQueryError(error, 'run query');
      }
      if (response?.jobComplete !== false) {
        return { fields: response?.schema?.fields ?? [], totalRows: Number(response?.totalRows ?? 0) };
      }
    }
  }

  private async *rows(
    job: Job,
    fields: readonly TableField[],
    signal: AbortSignal | undefined,
  ): AsyncIterable<ExportRow> {
    // Pages by hand: the client's paginated stream takes `maxResults` as a cap on the total,
    // not as a page size.
    let pending: Promise<ResultPage> | undefined = this.fetchPage(job, fields, {
      maxResults: this.options.pageRows ?? DEFAULT_PAGE_ROWS,
      autoPaginate: false,
    });
    while (pending !== undefined) {
      signal?.throwIfAborted();
      const page: ResultPage = await pending;
      pending = page.next === null ? undefined : this.fetchPage(job, fields, page.next);
      // A prefetched page that fails while this one is consumed is reported by the `await` above.
      pending?.catch(() => undefined);
      yield* page.rows;
    }
  }

  private async fetchPage(
    job: Job,
    fields: readonly TableField[],
    query: Record<string, unknown>,
  ): Promise<ResultPage> {
    try {
      // Raw rows: `restRows` converts them (the SDK's conversion shifts some TIMESTAMPs).
      const [raw, next] = (await job.getQueryResults({ ...query, skipParsing: true })) as unknown as [
        TableRow[],
        Record<string, unknown> | null | undefined,
      ];
      const rows = restRows(fields, raw);
      return { rows, next: next ?? null };
    } catch (error) {
      throw isAppError(error) ? error : translateBigQueryError(error, 'read query results');
    }
  }
}

/** The job's result table (`configuration.query.destinationTable`), where the Storage API reads. */
function destinationOf(job: Job): TableRef | undefined {
  const table = (
    job.metadata as { configuration?: { query?: { destinationTable?: Partial<TableRef> } } } | undefined
  )?.configuration?.query?.destinationTable;
  if (table?.projectId === undefined || table.datasetId === undefined || table.tableId === undefined)
    return undefined;
  return { projectId: table.projectId, datasetId: table.datasetId, tableId: table.tableId };
}
