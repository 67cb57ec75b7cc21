import type { BigQuery, Table, TableField } from '@google-cloud/bigquery';
import { AppError, withSpan } from '@bq-sftp-export/runtime';

import type { HistoryWriter } from '../application/ports/history-writer.js';
import { HISTORY_COLUMNS } from '../domain/history-columns.js';
import type { HistoryRow } from '../domain/history-row.js';
import { historyTableOf, qualifiedName, tableKey } from '../domain/history-table.js';
import type { HistoryTable } from '../domain/history-table.js';
import { historyViews } from '../domain/history-views.js';

export const HISTORY_WRITE_FAILED = 'HISTORY_WRITE_FAILED';
export const HISTORY_ROW_INVALID = 'HISTORY_ROW_INVALID';

interface RowError {
  readonly errors?: readonly { readonly reason?: string }[];
}

function httpStatus(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

/** insertAll row errors: `invalid` rows will never go in; `stopped` rows were only held back. */
function rowErrorsOf(error: unknown): readonly RowError[] | undefined {
  if ((error as { name?: unknown } | null)?.name !== 'PartialFailureError') return undefined;
  const errors = (error as { errors?: unknown }).errors;
  return Array.isArray(errors) ? (errors as RowError[]) : [];
}

/** Reasons BigQuery gives with a 4xx status for failures a retry gets past (quotas, rate limits). */
const transientReasons = new Set(['rateLimitExceeded', 'quotaExceeded', 'backendError', 'internalError']);

/** The reason of a whole-request error (not a PartialFailureError's per-row errors). */
function reasonOf(error: unknown): string | undefined {
  const errors = (error as { errors?: unknown } | null)?.errors;
  const first: unknown = Array.isArray(errors) ? errors[0] : undefined;
  const reason = (first as { reason?: unknown } | undefined)?.reason;
  return typeof reason === 'string' ? reason : undefined;
}

function translate(error: unknown, table: HistoryTable, step: string): AppError {
  const rowErrors = rowErrorsOf(error);
  const invalid = rowErrors?.some((row) => row.errors?.some((item) => item.reason === 'invalid')) ?? false;
  const status = httpStatus(error);
  const reason = rowErrors === undefined ? reasonOf(error) : undefined;
  const permanent =
    invalid ||
    ((status === 400 || status === 403 || status === 404) &&
      (reason === undefined || !transientReasons.has(reason)));
  return new AppError(
    `history table ${tableKey(table)}: ${step} failed${status === undefined ? '' : ` (HTTP ${status})`}`,
    {
      code: invalid ? HISTORY_ROW_INVALID : HISTORY_WRITE_FAILED,
      retryable: !permanent,
      cause: error,
      details: {
        table: tableKey(table),
        step,
        ...(rowErrors === undefined ? {} : { failedRows: rowErrors.length }),
      },
    },
  );
}

const SCHEMA: TableField[] = HISTORY_COLUMNS.map((column) => ({
  name: column.name,
  type: column.type,
  mode: column.mode,
  description: column.description,
}));

/**
 * The history table in BigQuery. On first use per table it creates the dataset and the table
 * when missing (or adds the columns a seed table lacks, at the end, NULLABLE) and creates or
 * replaces the views. Rows go in with `insertAll`, `insertId = event_id`, so BigQuery drops a
 * redelivered event's row; the `_events` view de-duplicates whatever gets past that window.
 * Append-only: no UPDATE, DELETE or MERGE is ever issued.
 */
export class BigQueryHistoryWriter implements HistoryWriter {
  private readonly ready = new Map<string, Promise<Table>>();

  constructor(
    private readonly bigquery: BigQuery,
    private readonly options: { readonly location?: string } = {},
  ) {}

  append(metadataTable: string, rows: readonly HistoryRow[]): Promise<void> {
    const attributes = { 'bqx.metadata_table': metadataTable, 'bqx.rows': rows.length };
    return withSpan('history write', { attributes }, () => this.appendRows(metadataTable, rows));
  }

  private async appendRows(metadataTable: string, rows: readonly HistoryRow[]): Promise<void> {
    if (rows.length === 0) return;
    const table = historyTableOf(metadataTable, this.bigquery.projectId);
    const target = await this.prepared(table);
    try {
      await target.insert(
        rows.map((row) => ({ insertId: row.event_id, json: { ...row } })),
        { raw: true, partialRetries: 0 },
      );
    } catch (error) {
      throw translate(error, table, 'insert');
    }
  }

  private prepared(table: HistoryTable): Promise<Table> {
    const key = tableKey(table);
    let ready = this.ready.get(key);
    if (ready === undefined) {
      ready = this.prepare(table);
      this.ready.set(key, ready);
      ready.catch(() => this.ready.delete(key));
    }
    return ready;
  }

  private async prepare(table: HistoryTable): Promise<Table> {
    const location = this.options.location === undefined ? {} : { location: this.options.location };
    const dataset = this.bigquery.dataset(table.datasetId, { projectId: table.projectId, ...location });
    try {
      const [exists] = await dataset.exists();
      if (!exists) await dataset.create(location).catch(ignoreConflict);
    } catch (error) {
      throw translate(error, table, 'create dataset');
    }
    const target = dataset.table(table.tableId);
    try {
      await this.ensureColumns(table, target);
    } catch (error) {
      throw translate(error, table, 'create table');
    }
    for (const view of historyViews(table)) {
      const query = `CREATE OR REPLACE VIEW ${qualifiedName(table, view.suffix)}\nOPTIONS (description = '${view.description}')\nAS ${view.query}`;
      try {
        await this.bigquery.query({ query, ...location });
      } catch (error) {
        throw translate(error, table, `create view ${view.suffix}`);
      }
    }
    return target;
  }

  private async ensureColumns(table: HistoryTable, target: Table): Promise<void> {
    const [exists] = await target.exists();
    if (!exists) {
      await target
        .create({
          schema: { fields: SCHEMA },
          description: `bq-sftp-export history of ${tableKey(table)}: one row per export event, append-only.`,
        })
        .catch(ignoreConflict);
      return;
    }
    const response: unknown[] = await target.getMetadata();
    const fields = (response[0] as { schema?: { fields?: TableField[] } }).schema?.fields ?? [];
    const present = new Set(fields.map((field) => field.name?.toLowerCase()));
    const missing = SCHEMA.filter((field) => !present.has(field.name?.toLowerCase())).map((field) => ({
      ...field,
      mode: 'NULLABLE',
    }));
    if (missing.length > 0) await target.setMetadata({ schema: { fields: [...fields, ...missing] } });
  }
}

function ignoreConflict(error: unknown): void {
  if (httpStatus(error) !== 409) throw error;
}
