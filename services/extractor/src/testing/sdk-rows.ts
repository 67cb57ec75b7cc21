import { restRows } from '../adapters/rest-rows.js';
import type { ColumnSchema } from '../domain/encoding/column-schema.js';

/**
 * Turns rows of raw REST text (as `jobs.getQueryResults` returns them: `null` for NULL,
 * TIMESTAMP as int64 microseconds) into the objects the extractor reads, by running its own
 * conversion (`restRows`: the SDK's, TIMESTAMP apart).
 */
export function sdkRows(
  columns: readonly ColumnSchema[],
  raw: readonly (readonly (string | null)[])[],
): Record<string, unknown>[] {
  const schema = { fields: columns.map((c) => ({ name: c.name, type: c.type, mode: 'NULLABLE' })) };
  const rows = raw.map((values) => ({ f: values.map((v) => ({ v })) }));
  return restRows(schema.fields, rows);
}
