import { BigQuery, type TableField, type TableRow } from '@google-cloud/bigquery';
import { DomainError, formatInstant } from '@bq-sftp-export/export-domain';

import type { ExportRow } from '../domain/encoding/column-schema.js';

/**
 * Row reading options: INT64 as exact `bigint`, JSON left as text (the encoders render the
 * SDK's shapes; see `domain/encoding/value-text.ts`).
 */
export const exactRowOptions = {
  wrapIntegers: { integerTypeCastFunction: (value: string) => BigInt(value) },
  parseJSON: false,
} as const;

/**
 * Turns raw `getQueryResults` rows (`f`/`v` text, TIMESTAMP as int64 microseconds) into the
 * shapes the encoders render, with the SDK's own conversion for every type but TIMESTAMP.
 *
 * TIMESTAMP is formatted here, from its exact microseconds: the SDK (9.x) goes through
 * PreciseDate, which puts an instant between -1 s and 0 with a fraction one second late
 * (`1969-12-31 23:59:59.999999` became `1970-01-01 00:00:00.999999`). The SDK is given a schema
 * whose TIMESTAMPs are STRING, so it leaves their text alone, and this walk replaces each with
 * its ISO text (`formatInstant`: six fraction digits, floor division for instants before 1970).
 */
export function restRows(fields: readonly TableField[], raw: readonly TableRow[]): ExportRow[] {
  const rows = BigQuery.mergeSchemaWithRows_(
    { fields: fields.map(timestampAsText) },
    raw as TableRow[],
    exactRowOptions,
  ) as ExportRow[];
  const paths = fields.filter(holdsTimestamp);
  if (paths.length > 0) for (const row of rows) fixTimestamps(paths, row);
  return rows;
}

function holdsTimestamp(field: TableField): boolean {
  return field.type === 'TIMESTAMP' || (field.fields ?? []).some(holdsTimestamp);
}

function timestampAsText(field: TableField): TableField {
  if (field.type === 'TIMESTAMP') return { ...field, type: 'STRING' };
  return field.fields === undefined ? field : { ...field, fields: field.fields.map(timestampAsText) };
}

function fixTimestamps(fields: readonly TableField[], row: Record<string, unknown>): void {
  for (const field of fields) {
    const name = field.name ?? '';
    const value = row[name];
    if (value == null) continue;
    if (field.type === 'TIMESTAMP') {
      row[name] = field.mode === 'REPEATED' ? (value as unknown[]).map(instantText) : instantText(value);
      continue;
    }
    const children = (field.fields ?? []).filter(holdsTimestamp);
    const records = field.mode === 'REPEATED' ? (value as Record<string, unknown>[]) : [value];
    for (const record of records)
      if (record != null) fixTimestamps(children, record as Record<string, unknown>);
  }
}

function instantText(value: unknown): string | null {
  if (value == null) return null;
  if (typeof value !== 'string' || !/^-?\d+$/.test(value)) {
    throw new DomainError(
      'VALUE_SHAPE_UNEXPECTED',
      'a TIMESTAMP value did not arrive as int64 microseconds (formatOptions.useInt64Timestamp)',
      'columns',
    );
  }
  return formatInstant(BigInt(value));
}
