import { customerTableSchema, generateCustomerRows, seedTables } from '@bq-sftp-export/local-cloud';
import type { CustomerRow } from '@bq-sftp-export/local-cloud';

import { csvRecord, splitRecords } from './rfc4180.js';
import type { CsvValue } from './rfc4180.js';

const timestampColumns = new Set(
  customerTableSchema.filter((field) => field.type === 'TIMESTAMP').map((field) => field.name),
);

/**
 * A TIMESTAMP as the config's default `timestamp_format: "bigquery"` documents it: BigQuery's
 * own CSV form, `2026-11-26 05:00:00.123456 UTC`, the fraction only when it is not zero.
 */
export function bigQueryTimestampText(iso: string): string {
  const match = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?Z$/.exec(iso);
  if (match === null) throw new Error(`not an ISO instant in UTC: ${iso}`);
  const micros = (match[3] ?? '').padEnd(6, '0');
  return `${match[1]} ${match[2]}${micros === '000000' ? '' : `.${micros}`} UTC`;
}

/** A seeded value as the file shows it (the seed's columns; others pass through). */
function fileValue(column: string, value: CsvValue | undefined): CsvValue {
  if (value === undefined || value === null) return null;
  return timestampColumns.has(column) ? bigQueryTimestampText(String(value)) : value;
}

/**
 * The rows `setUpLocalCloud` seeds into a table, generated again from the same parameters
 * (seed = position in `seedTables` + 1, ids offset by a million per table, timeline from
 * 2026-01-05T08:00:00Z), so the tests know the data without reading it back through BigQuery.
 */
export function seededRows(table: keyof typeof seedTables, count: number): CustomerRow[] {
  const index = Object.keys(seedTables).indexOf(table);
  return generateCustomerRows({
    count,
    seed: index + 1,
    sourceType: seedTables[table].sourceType,
    start: new Date('2026-01-05T08:00:00Z'),
    idOffset: index * 1_000_000,
  });
}

/** `count` rows of `table`'s shape whose `last_updated_at` are `after` + 1 ms, + 2 ms, … */
export function newRows(
  table: keyof typeof seedTables,
  count: number,
  after: string,
  idOffset: number,
): CustomerRow[] {
  const base = Date.parse(after);
  return generateCustomerRows({
    count,
    seed: idOffset,
    sourceType: seedTables[table].sourceType,
    start: new Date(base),
    idOffset,
  }).map((row, i) => ({
    ...row,
    last_updated_at: new Date(base + 1 + i).toISOString().replace(/Z$/, '000Z'),
  }));
}

/**
 * Compares a delivered file with the expected rows: the same bytes, except that rows sharing
 * one timestamp may come in any order (the export orders by the timestamp column only). The
 * delivered records are put in (timestamp, id) order before comparing whole texts, and must
 * already be in timestamp order.
 */
export function normaliseDelivered(
  delivered: string,
  columns: readonly string[],
  rows: readonly CustomerRow[],
): { delivered: string; expected: string; timestampOrdered: boolean } {
  const sorted = [...rows].sort(
    (a, b) =>
      String(a['last_updated_at']).localeCompare(String(b['last_updated_at'])) ||
      Number(a['id']) - Number(b['id']),
  );
  const rendered = sorted.map((row) => csvRecord(columns.map((column) => fileValue(column, row[column]))));
  const position = new Map(rendered.map((record, i) => [record, i]));
  const [header = '', ...records] = splitRecords(delivered);
  const stamps = records.map((record) =>
    String(sorted[position.get(record) ?? -1]?.['last_updated_at'] ?? ''),
  );
  const timestampOrdered = stamps.every((stamp, i) => i === 0 || stamps[i - 1]! <= stamp);
  const reordered = [...records].sort(
    (a, b) => (position.get(a) ?? Infinity) - (position.get(b) ?? Infinity),
  );
  return {
    delivered: header + reordered.join(''),
    expected: csvRecord(columns) + rendered.join(''),
    timestampOrdered,
  };
}
