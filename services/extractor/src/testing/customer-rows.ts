import type { ColumnSchema } from '../domain/encoding/column-schema.js';
import { seededRandom } from './random.js';
import { sdkRows } from './sdk-rows.js';

const stringColumns = [
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
];

/** The seed's customer tables: 22 columns, mostly STRING, three TIMESTAMPs. */
export const customerColumns: readonly ColumnSchema[] = [
  { name: 'id', type: 'INT64' },
  ...stringColumns.map((name) => ({ name, type: 'STRING' as const })),
  { name: 'last_updated_at', type: 'TIMESTAMP' },
  { name: 'created_at', type: 'TIMESTAMP' },
  { name: 'batch_runtime', type: 'TIMESTAMP' },
  { name: '_run_id', type: 'STRING' },
];

const words = [
  'Main',
  'Oak',
  'Smith',
  "O'Brien",
  'Zoë',
  'Łódź',
  '東京',
  'Suite, 5',
  'the "best"',
  '=SUM(A1)',
  '-x',
  'São Paulo',
];

/**
 * Customer-like rows as the SDK yields them: quotes, commas, newlines, NULLs, unicode and
 * formula-like text mixed in at realistic rates. Deterministic for a seed.
 */
export function customerRows(count: number, seed = 1): Record<string, unknown>[] {
  const random = seededRandom(seed);
  const pick = () => words[Math.floor(random() * words.length)]!;
  const base = 1_700_000_000_000_000;
  const raw: (string | null)[][] = [];
  for (let i = 0; i < count; i++) {
    const row: (string | null)[] = [String(9_007_199_254_740_000n + BigInt(i))];
    for (const name of stringColumns) {
      const r = random();
      if (r < 0.08) row.push(null);
      else if (r < 0.1) row.push(`${pick()}\n${pick()}`);
      else if (name === 'email') row.push(`user${i}@example.com`);
      else row.push(`${pick()} ${Math.floor(random() * 10_000)} ${pick()}`);
    }
    const ts = base + Math.floor(random() * 1e12);
    row.push(String(ts), String(ts - 86_400_000_000), random() < 0.1 ? null : String(ts - (ts % 1_000_000)));
    row.push(`run-${i % 7}`);
    raw.push(row);
  }
  return sdkRows(customerColumns, raw);
}
