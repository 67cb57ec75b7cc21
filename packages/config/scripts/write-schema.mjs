// Writes configs/export-config.schema.json from the zod schema (run after a build:
// `pnpm --filter @bq-sftp-export/config run schema`). A unit test fails when it is stale.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { exportConfigJsonSchemaText } from '../dist/index.js';

const target = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../configs/export-config.schema.json',
);
writeFileSync(target, exportConfigJsonSchemaText());
process.stdout.write(`wrote ${path.relative(process.cwd(), target)}\n`);
