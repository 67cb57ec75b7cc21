import { BigQuery } from '@google-cloud/bigquery';

import type { ColumnSchema } from '../domain/encoding/column-schema.js';

/**
 * The row-reading options the extractor passes to `createQueryStream`: INT64 as exact
 * `bigint`, JSON left as text. Tests build rows with them so values have exactly the shapes
 * the service will see.
 */
export const exactRowOptions = {
  wrapIntegers: { integerTypeCastFunction: (value: string) => BigInt(value) },
  parseJSON: false,
} as const;

/**
 * Turns rows of raw REST text (as `jobs.getQueryResults` returns them: `null` for NULL,
 * TIMESTAMP as int64 microseconds) into the objects the real SDK yields, by running the SDK's
 * own conversion.
 */
export function sdkRows(
  columns: readonly ColumnSchema[],
  raw: readonly (readonly (string | null)[])[],
): Record<string, unknown>[] {
  const schema = { fields: columns.map((c) => ({ name: c.name, type: c.type, mode: 'NULLABLE' })) };
  const rows = raw.map((values) => ({ f: values.map((v) => ({ v })) }));
  return BigQuery.mergeSchemaWithRows_(schema, rows, exactRowOptions) as Record<string, unknown>[];
}
