import { ApiError } from '../http/api-error.js';
import type { DuckDbEngine } from '../engine/duckdb-engine.js';
import type { TableField } from '../schema/table-field.js';
import { quoteIdent } from '../schema/type-mapping.js';
import { encodeRow } from '../values/cell-encoding.js';
import type { CellEncodingOptions, FvRow } from '../values/cell-encoding.js';

export interface PageRequest {
  /** Rows per page when the caller gives no maxResults (BigQuery caps pages at ~10 MB instead). */
  readonly defaultRows: number;
  readonly maxResults?: number | undefined;
  readonly pageToken?: string | undefined;
  readonly startIndex?: string | undefined;
}

export interface Page {
  readonly rows: FvRow[];
  readonly pageToken?: string | undefined;
}

export function encodePageToken(offset: bigint): string {
  return Buffer.from(`offset:${offset.toString()}`).toString('base64url');
}

function decodePageToken(token: string): bigint {
  const match = /^offset:(\d+)$/.exec(Buffer.from(token, 'base64url').toString());
  if (match === null) throw new ApiError('invalid', 'Invalid page token');
  return BigInt(match[1]!);
}

function firstRow(request: PageRequest): bigint {
  if (request.pageToken !== undefined && request.pageToken !== '') return decodePageToken(request.pageToken);
  if (request.startIndex !== undefined && request.startIndex !== '') {
    if (!/^\d+$/.test(request.startIndex)) throw new ApiError('invalid', 'Invalid startIndex');
    return BigInt(request.startIndex);
  }
  return 0n;
}

/**
 * How a page is cut out of its table. `rowid`: the table was written once, in order (a query
 * result), so rows [offset, offset + n) are a rowid range DuckDB finds without scanning — the
 * cost of a page does not grow with its offset. `offset`: LIMIT/OFFSET over a table scan
 * (dataset tables, whose rowids may have gaps after deletes).
 */
export type PageCut = 'rowid' | 'offset';

/** Reads one page of `source`: the server holds one page of rows at a time, whatever the result size. */
export async function readPage(
  engine: DuckDbEngine,
  source: string,
  cut: PageCut,
  fields: readonly TableField[],
  totalRows: bigint,
  request: PageRequest,
  encoding: CellEncodingOptions,
): Promise<Page> {
  const offset = firstRow(request);
  const size = BigInt(
    request.maxResults !== undefined && request.maxResults > 0 ? request.maxResults : request.defaultRows,
  );
  if (offset >= totalRows || fields.length === 0) return { rows: [] };
  const columns = fields.map((field) => quoteIdent(field.name)).join(', ');
  const result = await engine.all(
    `SELECT ${columns} FROM ${source} LIMIT ${size.toString()} OFFSET ${offset.toString()}`,
  );
  const rows = result.getRows().map((values) => encodeRow(fields, values, encoding));
  const next = offset + BigInt(rows.length);
  return { rows, pageToken: next < totalRows && rows.length > 0 ? encodePageToken(next) : undefined };
}
