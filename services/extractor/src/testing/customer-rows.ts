import { customerTableSchema, generateCustomerRows } from '@bq-sftp-export/local-cloud';

import type { ColumnSchema } from '../domain/encoding/column-schema.js';
import { sdkRows } from './sdk-rows.js';

/** The seed's customer tables (local-cloud's schema): 22 columns, mostly STRING, three TIMESTAMPs. */
export const customerColumns: readonly ColumnSchema[] = customerTableSchema.map(({ name, type }) => ({
  name,
  type,
}));

/** Ids near 2^53, so INT64 precision is exercised. */
const ID_BASE = 9_007_199_254_740_000n;

/** ISO-8601 with six fraction digits → int64 microseconds, as `getQueryResults` returns TIMESTAMP. */
function restMicros(iso: string): string {
  const [whole, fraction = '0'] = iso.slice(0, -1).split('.');
  return String(BigInt(Date.parse(`${whole}Z`)) * 1000n + BigInt(fraction.padEnd(6, '0').slice(0, 6)));
}

/**
 * The local cloud's seed rows (quotes, commas, newlines, NULLs, unicode and formula-like text)
 * as the extractor reads them: raw REST text through its own conversion. Deterministic for a seed.
 */
export function customerRows(count: number, seed = 1): Record<string, unknown>[] {
  const generated = generateCustomerRows({
    count,
    seed,
    sourceType: 'shopify',
    start: new Date('2026-01-05T08:00:00Z'),
  });
  const raw = generated.map((row) =>
    customerColumns.map(({ name, type }): string | null => {
      const value = row[name] ?? null;
      if (value === null) return null;
      if (type === 'INT64') return String(ID_BASE + BigInt(value));
      if (type === 'TIMESTAMP') return restMicros(String(value));
      return String(value);
    }),
  );
  return sdkRows(customerColumns, raw);
}
