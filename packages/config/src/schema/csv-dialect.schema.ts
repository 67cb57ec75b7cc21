import { z } from 'zod';

import { timeZoneSchema } from './identifiers.schema.js';

/** How CSV files are written. Every field is optional; see `DEFAULT_CSV_DIALECT`. */
export const csvDialectSchema = z
  .strictObject({
    delimiter: z
      .string()
      .length(1, 'expected a single character')
      .refine(
        (value) => !['"', '\r', '\n'].includes(value),
        'expected a character other than a quote or a line break',
      )
      .optional()
      .describe('Field separator, one character. Default ",".'),
    quote: z
      .enum(['minimal', 'all', 'nonnumeric', 'none'])
      .optional()
      .describe(
        'When fields are quoted: "minimal" (only when needed), "all", "nonnumeric" (every non-number), "none" (never; a field that needs quoting fails the export). Default "minimal".',
      ),
    header: z.boolean().optional().describe('Write a header row of column names. Default true.'),
    null: z.string().max(16).optional().describe('Text written for NULL. Default "" (empty field).'),
    line_ending: z.enum(['\n', '\r\n']).optional().describe('Record separator. Default "\\n".'),
    bom: z
      .boolean()
      .optional()
      .describe('Start the file with a UTF-8 byte-order mark (for Excel). Default false.'),
    timestamp_format: z
      .enum(['bigquery', 'iso8601', 'epoch_millis'])
      .optional()
      .describe(
        'TIMESTAMP/DATETIME rendering: "bigquery" (BigQuery\'s own CSV export form, 2026-11-26 05:00:00.123456 UTC), "iso8601" (2026-11-26T05:00:00.123456Z), "epoch_millis". Default "bigquery".',
      ),
    timestamp_time_zone: timeZoneSchema
      .optional()
      .describe('IANA time zone for rendered timestamps. Default "UTC".'),
    formula_guard: z
      .boolean()
      .optional()
      .describe(
        'Prefix text fields starting with =, +, -, @, tab or carriage return with a single quote, so spreadsheets do not run them as formulas. Default false.',
      ),
  })
  .describe('CSV dialect (ignored for Parquet).');

export type CsvDialectInput = z.infer<typeof csvDialectSchema>;

export interface CsvDialect {
  readonly delimiter: string;
  readonly quote: 'minimal' | 'all' | 'nonnumeric' | 'none';
  readonly header: boolean;
  readonly null: string;
  readonly lineEnding: '\n' | '\r\n';
  readonly bom: boolean;
  readonly timestampFormat: 'bigquery' | 'iso8601' | 'epoch_millis';
  readonly timestampTimeZone: string;
  readonly formulaGuard: boolean;
}

export const DEFAULT_CSV_DIALECT: CsvDialect = Object.freeze({
  delimiter: ',',
  quote: 'minimal',
  header: true,
  null: '',
  lineEnding: '\n',
  bom: false,
  timestampFormat: 'bigquery',
  timestampTimeZone: 'UTC',
  formulaGuard: false,
});
