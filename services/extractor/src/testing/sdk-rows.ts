import { BigQuery } from '@google-cloud/bigquery';

import { exactRowOptions } from '../adapters/bigquery-row-source.adapter.js';
import type { ColumnSchema } from '../domain/encoding/column-schema.js';

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
