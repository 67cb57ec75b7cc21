import { z } from 'zod';

import { exportConfigSchema } from '../schema/export-config.schema.js';

/**
 * The JSON Schema (draft 2020-12) of a config file, generated from the zod schema, for editor
 * completion. Cross-field rules (timestamp_column in columns, unique names, destination
 * references) and placeholder checks are enforced at load time only.
 */
export function exportConfigJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(exportConfigSchema, { io: 'input', unrepresentable: 'any' }),
    title: 'bq-sftp-export configuration',
  };
}

/** The committed file's text: stable formatting, trailing newline. */
export function exportConfigJsonSchemaText(): string {
  return `${JSON.stringify(exportConfigJsonSchema(), null, 2)}\n`;
}
