import { expect } from '@jest/globals';

import type { DemoStack } from '@bq-sftp-export/demo';
import { seedTables } from '@bq-sftp-export/local-cloud';

/** Columns whose values are personal and distinctive enough that finding one in a log is a leak. */
const DISTINCTIVE = ['email', 'phone', 'addr_line_1'] as const;

/** Distinctive values of the rows the stack's source tables hold now (read through BigQuery). */
export async function seededValues(stack: DemoStack): Promise<string[]> {
  const values = new Set<string>();
  for (const { dataset, table } of Object.values(seedTables)) {
    const [rows] = await stack.clients.bigquery.query({
      query: `SELECT ${DISTINCTIVE.join(', ')} FROM \`${dataset}.${table}\``,
    });
    for (const row of rows as Record<string, unknown>[]) {
      for (const column of DISTINCTIVE) {
        const value = row[column];
        if (typeof value === 'string' && value.length >= 8) values.add(value);
      }
    }
  }
  return [...values];
}

/** Fails naming the first secret or row value found in `logs`, as written or JSON-escaped. */
export function expectNoLeaks(logs: string, secrets: readonly string[], rowValues: readonly string[]): void {
  expect(logs.length).toBeGreaterThan(0);
  expect(rowValues.length).toBeGreaterThan(0);
  for (const secret of secrets) {
    expect(secret.length).toBeGreaterThan(0);
    expect(logs.includes(secret)).toBe(false);
  }
  const leaked = rowValues.find(
    (value) => logs.includes(value) || logs.includes(JSON.stringify(value).slice(1, -1)),
  );
  expect(leaked).toBeUndefined();
}
