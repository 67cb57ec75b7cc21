import { stringify } from 'csv-stringify/sync';

import { isNumericType, type ColumnSchema } from '../domain/encoding/column-schema.js';
import { resolveCsvDialect, type CsvDialect } from '../domain/encoding/csv-dialect.js';
import { createValueRenderer } from '../domain/encoding/value-text.js';

/**
 * The CSV encoder rebuilt on `csv-stringify` (the library the issue lists): the same value
 * rendering, with content-driven quoting, quote escaping, the formula guard, BOM and record
 * delimiter left to csv-stringify. Tests hold the hand-tuned encoder to byte equality with it.
 * Not for `quote: 'none'` (csv-stringify always quotes what needs it).
 */
export function encodeWithCsvStringify(
  columns: readonly ColumnSchema[],
  rows: readonly Readonly<Record<string, unknown>>[],
  partial: Partial<CsvDialect> = {},
): string {
  const dialect = resolveCsvDialect(partial);
  const options = { timestampFormat: dialect.timestamp_format, timeZone: dialect.time_zone };
  const renderers = columns.map((c) => createValueRenderer(c.type, options));
  const forced = columns.map(
    (c) => dialect.quote === 'all' || (dialect.quote === 'nonnumeric' && !isNumericType(c.type)),
  );
  const records = rows.map((row) =>
    columns.map((column, i) => {
      const text = renderers[i]!(row[column.name]);
      if (text === null)
        return { value: dialect.null_token, quoted: false, quoted_empty: false, escape_formulas: false };
      const quote = forced[i]! || text === dialect.null_token;
      return {
        value: text,
        quoted: quote,
        quoted_empty: quote,
        escape_formulas: dialect.formula_guard && column.type === 'STRING',
      };
    }),
  );
  const headerForced = dialect.quote === 'all' || dialect.quote === 'nonnumeric';
  const header = dialect.header
    ? [
        columns.map((c) => ({
          value: c.name,
          quoted: headerForced || c.name === dialect.null_token,
          quoted_empty: true,
        })),
      ]
    : [];
  return stringify([...header, ...records], {
    delimiter: dialect.delimiter,
    record_delimiter: dialect.line_terminator === '\r\n' ? 'windows' : 'unix',
    bom: dialect.bom,
    quote: '"',
    escape: '"',
    eof: true,
    // With an explicit record_delimiter csv-stringify stops quoting fields holding a lone CR
    // or LF unless told to; RFC 4180 readers need them quoted.
    quote_record_delimiter: true,
    // Each field is a csv-stringify casting object: its value plus per-field options.
    cast: { object: (field) => field as { value: string } },
  });
}
