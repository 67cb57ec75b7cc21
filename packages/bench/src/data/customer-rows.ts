import { BigQuery } from '@google-cloud/bigquery';
import type { ColumnSchema, ExportRow } from '@bq-sftp-export/extractor';
import { customerTableSchema, generateCustomerRows } from '@bq-sftp-export/local-cloud';

/** 22 columns, local-cloud's seed customer tables: an INT64 key, 18 STRINGs, 3 TIMESTAMPs. */
export const benchColumns: readonly ColumnSchema[] = customerTableSchema.map(({ name, type }) => ({
  name,
  type,
}));

/** Ids above 2^32, so INT64 text is as wide as in production tables. */
const ID_BASE = 4_000_000_000_000_000n;

/**
 * `count` distinct rows of the local cloud's seed generator (NULLs, embedded newlines, quotes,
 * commas, formula-like and non-ASCII text), shaped as the BigQuery SDK yields them: INT64 as
 * bigint, TIMESTAMP as BigQueryTimestamp. The same seed gives the same rows, so every run
 * encodes the same bytes.
 */
export function customerLikeRows(count: number, seed = 7): ExportRow[] {
  const generated = generateCustomerRows({
    count,
    seed,
    sourceType: 'bench',
    start: new Date('2026-01-05T08:00:00Z'),
  });
  return generated.map((row) => {
    const sdk: Record<string, unknown> = {};
    for (const { name, type } of benchColumns) {
      const value = row[name] ?? null;
      if (value === null) sdk[name] = null;
      else if (type === 'INT64') sdk[name] = ID_BASE + BigInt(value);
      else if (type === 'TIMESTAMP') sdk[name] = BigQuery.timestamp(String(value));
      else sdk[name] = value;
    }
    return sdk;
  });
}

/** `total` rows in pages of `pageSize`, cycling through `distinct` (as BigQuery pages arrive). */
export function* pagesOf(
  distinct: readonly ExportRow[],
  total: number,
  pageSize = 1000,
): Generator<ExportRow[]> {
  for (let start = 0; start < total; start += pageSize) {
    const page: ExportRow[] = [];
    const end = Math.min(total, start + pageSize);
    for (let i = start; i < end; i++) page.push(distinct[i % distinct.length]!);
    yield page;
  }
}
