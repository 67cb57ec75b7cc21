import { nameSchema } from '@bq-sftp-export/contracts';
import { z } from 'zod';

import { namedDestinationSchema, seedSftpSchema } from './destination.schema.js';
import { exportDefaultsSchema } from './export-options.schema.js';
import { exportSchema } from './export.schema.js';
import { tableNameSchema } from './identifiers.schema.js';
import { notificationsSchema, stagingSchema } from './notifications.schema.js';

/**
 * An export configuration file (`configs/<name>.json`): the seed's format, accepted verbatim,
 * plus optional extensions. Unknown keys are refused, so a typo never goes unnoticed.
 */
export const exportConfigSchema = z
  .strictObject({
    $schema: z.string().optional().describe("Path or URL of this file's JSON Schema, for editors."),
    exports: z.array(exportSchema).min(1, 'expected at least one export'),
    sftp: seedSftpSchema.optional(),
    metadata_table: tableNameSchema.describe("The history table (the seed's metadata table)."),
    defaults: exportDefaultsSchema.optional(),
    destinations: z
      .record(nameSchema, namedDestinationSchema)
      .optional()
      .describe('Named SFTP destinations an export can choose with `destination`.'),
    notifications: notificationsSchema.optional(),
    staging: stagingSchema.optional(),
  })
  .describe('bq-sftp-export configuration: which BigQuery tables go to which SFTP server, and how.');

export type ExportConfigInput = z.infer<typeof exportConfigSchema>;
