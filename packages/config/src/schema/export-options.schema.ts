import { compressionSchema, fileFormatSchema, instantSchema, nameSchema } from '@bq-sftp-export/contracts';
import { z } from 'zod';

import { csvDialectSchema } from './csv-dialect.schema.js';
import { columnNameSchema, timeZoneSchema } from './identifiers.schema.js';

const secondsSchema = z.number().int('expected whole seconds').nonnegative('expected seconds >= 0');

/**
 * The extensions to the seed's export entry. Each may be set per export or once under
 * `defaults`; an export's own value wins, `csv` merges field by field.
 */
export const exportOptionsFields = {
  format: fileFormatSchema.optional().describe('File format. Default "csv".'),
  csv: csvDialectSchema.optional(),
  compression: compressionSchema
    .optional()
    .describe('"gzip" appends nothing to the name: put ".gz" in it. Default "none".'),
  destination: nameSchema
    .optional()
    .describe('Name of an entry in `destinations`. Default "default": the top-level `sftp` block.'),
  lookback_seconds: secondsSchema
    .optional()
    .describe(
      'Incremental only: re-read this margin below the watermark, de-duplicated on `dedupe_key`. Default 0.',
    ),
  settle_delay_seconds: secondsSchema
    .optional()
    .describe(
      'The window ends this long before the run starts, so late-arriving rows are not skipped. Default 0.',
    ),
  start_at: instantSchema
    .optional()
    .describe('Incremental only: lower bound of the very first window. Default: from the beginning.'),
  dedupe_key: z
    .array(columnNameSchema)
    .min(1, 'expected at least one column')
    .optional()
    .describe('Columns identifying a row, used to de-duplicate the lookback margin.'),
  empty_export: z
    .enum(['skip', 'empty_file'])
    .optional()
    .describe(
      'An empty window: "skip" (no file) or "empty_file" (deliver a file with only the header). Default "skip".',
    ),
  file_name_time_zone: timeZoneSchema
    .optional()
    .describe(
      'Time zone of {datetime}, {datetime_ms}, {date}, {time} and {time_ms}. Default "UTC" (the seed scheduled in "America/Chicago").',
    ),
};

export const exportDefaultsSchema = z
  .strictObject(exportOptionsFields)
  .describe('Defaults for every export; an export overrides any of them.');

export type ExportDefaultsInput = z.infer<typeof exportDefaultsSchema>;
