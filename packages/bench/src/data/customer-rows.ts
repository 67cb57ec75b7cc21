import { BigQuery } from '@google-cloud/bigquery';
import type { ColumnSchema, ExportRow } from '@bq-sftp-export/extractor';

const textColumns = [
  'address_key',
  'name_key',
  'phone_key',
  'email_key',
  'source_type',
  'customer_id',
  'address_type',
  'addr_line_1',
  'addr_line_2',
  'city',
  'state',
  'country',
  'postal_code',
  'first_name',
  'last_name',
  'phone',
  'email',
  '_run_id',
] as const;

/** 22 columns like the seed's customer tables: an INT64 key, 18 STRINGs, 3 TIMESTAMPs. */
export const benchColumns: readonly ColumnSchema[] = [
  { name: 'id', type: 'INT64' },
  ...textColumns.map((name) => ({ name, type: 'STRING' as const })),
  { name: 'last_updated_at', type: 'TIMESTAMP' },
  { name: 'created_at', type: 'TIMESTAMP' },
  { name: 'batch_runtime', type: 'TIMESTAMP' },
];

const fragments = [
  'Elm',
  'Baker',
  "D'Arcy",
  'Müller',
  'Kraków',
  '大阪',
  'Apt, 12',
  'a "quoted" word',
  '+1 555',
  'Ñandú',
  'North',
  'road',
];

/** A small deterministic generator (xorshift32), so every run encodes the same bytes. */
function generator(seed: number): () => number {
  let x = seed | 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x1_0000_0000;
  };
}

/**
 * `count` distinct rows shaped as the BigQuery SDK yields them (INT64 as bigint, TIMESTAMP as
 * BigQueryTimestamp): about 8 % NULLs, 2 % embedded newlines, quotes, commas and non-ASCII text.
 */
export function customerLikeRows(count: number, seed = 7): ExportRow[] {
  const next = generator(seed);
  const word = () => fragments[Math.floor(next() * fragments.length)]!;
  const epochMs = 1_735_689_600_000;
  const rows: ExportRow[] = [];
  for (let i = 0; i < count; i++) {
    const row: Record<string, unknown> = { id: 4_000_000_000_000_000n + BigInt(i) };
    for (const name of textColumns) {
      const roll = next();
      if (roll < 0.08) row[name] = null;
      else if (roll < 0.1) row[name] = `${word()}\n${word()}`;
      else if (name === 'email') row[name] = `customer${i}@example.org`;
      else if (name === '_run_id') row[name] = `run-${i % 5}`;
      else row[name] = `${word()} ${Math.floor(next() * 100_000)} ${word()}`;
    }
    const updated = epochMs + Math.floor(next() * 3e10);
    const micros = String(Math.floor(next() * 1000)).padStart(3, '0');
    row.last_updated_at = BigQuery.timestamp(`${new Date(updated).toISOString().slice(0, -1)}${micros}Z`);
    row.created_at = BigQuery.timestamp(new Date(updated - 86_400_000).toISOString());
    row.batch_runtime =
      next() < 0.1 ? null : BigQuery.timestamp(new Date(updated - (updated % 1000)).toISOString());
    rows.push(row);
  }
  return rows;
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
