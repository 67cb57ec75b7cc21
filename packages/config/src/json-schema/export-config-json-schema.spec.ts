import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';

import { configsDirectory, seedConfig } from '../testing/seed-config.js';
import { exportConfigJsonSchema, exportConfigJsonSchemaText } from './export-config-json-schema.js';

describe('the config JSON Schema', () => {
  it('matches the committed configs/export-config.schema.json (run `pnpm --filter @bq-sftp-export/config run schema`)', () => {
    const committed = readFileSync(`${configsDirectory}export-config.schema.json`, 'utf8');
    expect(committed).toBe(exportConfigJsonSchemaText());
  });

  it('is referenced by configs/default.json', () => {
    expect(seedConfig()['$schema']).toBe('./export-config.schema.json');
  });

  it('requires only the seed fields and refuses unknown keys', () => {
    const schema = exportConfigJsonSchema() as {
      required: string[];
      additionalProperties: boolean;
      properties: { exports: { items: { required: string[] } } };
    };
    expect(schema.required.sort()).toEqual(['exports', 'metadata_table']);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.exports.items.required.sort()).toEqual([
      'columns',
      'destination_filename',
      'name',
      'source_table',
    ]);
  });
});
