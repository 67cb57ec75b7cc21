import { nameSchema } from '@bq-sftp-export/contracts';
import { z } from 'zod';

import { exportOptionsFields } from './export-options.schema.js';
import { fileNameTemplateProblems } from './file-name-template.js';
import { columnNameSchema, tableNameSchema } from './identifiers.schema.js';

const fileNameTemplateSchema = z.string().superRefine((value, context) => {
  for (const message of fileNameTemplateProblems(value)) context.addIssue({ code: 'custom', message });
});

/** One export: the seed's fields, unchanged, plus the optional extensions. */
export const exportSchema = z
  .strictObject({
    name: nameSchema.describe('Unique name of the export; used in object names, ids and history rows.'),
    source_table: tableNameSchema.describe('BigQuery table `[project.]dataset.table`.'),
    destination_filename: fileNameTemplateSchema.describe(
      'File name template: {datetime} (seed), {datetime_ms}, {date}, {time}, {time_ms}, {export}, {run_id}, {window_start}, {window_end}. Only {run_id}, {datetime_ms} and {time_ms} differ between two runs started in the same second (validate warns without one). At most 255 bytes (UTF-8) rendered, temp_name included.',
    ),
    timestamp_column: columnNameSchema
      .optional()
      .describe('Incremental exports: the column the window applies to.'),
    incremental: z
      .boolean()
      .optional()
      .describe(
        'true: only rows whose timestamp_column is in the new window; false: the whole table. Default false.',
      ),
    columns: z
      .array(columnNameSchema)
      .min(1, 'expected at least one column')
      .describe('Columns to export, in file order.'),
    ...exportOptionsFields,
  })
  .superRefine((entry, context) => {
    const columns = new Set(entry.columns);
    if (columns.size !== entry.columns.length) {
      context.addIssue({ code: 'custom', path: ['columns'], message: 'expected no duplicate columns' });
    }
    if (entry.incremental === true && entry.timestamp_column === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['timestamp_column'],
        message: 'expected a timestamp_column for an incremental export',
      });
    }
    if (entry.timestamp_column !== undefined && !columns.has(entry.timestamp_column)) {
      context.addIssue({ code: 'custom', path: ['timestamp_column'], message: 'expected one of `columns`' });
    }
    entry.dedupe_key?.forEach((column, index) => {
      if (!columns.has(column)) {
        context.addIssue({
          code: 'custom',
          path: ['dedupe_key', index],
          message: 'expected one of `columns`',
        });
      }
    });
  });

export type ExportInput = z.infer<typeof exportSchema>;
