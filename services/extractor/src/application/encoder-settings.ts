import type { CsvDialect as ConfigCsvDialect, ResolvedExport } from '@bq-sftp-export/config';

import type { CsvDialect } from '../domain/encoding/csv-dialect.js';
import type { TimestampFormat } from '../domain/encoding/value-text.js';

/** The config's timestamp formats → the encoder's: `bigquery` is BigQuery's own CSV text (`YYYY-MM-DD HH:MM:SS[.ffffff] UTC`). */
const timestampFormats: Readonly<Record<ConfigCsvDialect['timestampFormat'], TimestampFormat>> = {
  bigquery: 'bigquery',
  iso8601: 'iso8601',
  epoch_millis: 'epoch_millis',
};

/** The encoder's CSV dialect for an export's resolved `csv` settings. */
export function csvDialectOf(exportConfig: ResolvedExport): Partial<CsvDialect> {
  const csv = exportConfig.csv;
  return {
    delimiter: csv.delimiter,
    quote: csv.quote,
    header: csv.header,
    null_token: csv.null,
    line_terminator: csv.lineEnding,
    bom: csv.bom,
    timestamp_format: timestampFormats[csv.timestampFormat],
    time_zone: csv.timestampTimeZone,
    formula_guard: csv.formulaGuard,
  };
}

export function contentTypeOf(exportConfig: ResolvedExport): string {
  if (exportConfig.compression === 'gzip') return 'application/gzip';
  return exportConfig.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.apache.parquet';
}
