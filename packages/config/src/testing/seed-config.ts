import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The repository's `configs/` directory. */
export const configsDirectory = fileURLToPath(new URL('../../../../configs/', import.meta.url));

/** `configs/default.json`, the seed's example config, parsed fresh for each call. */
export function seedConfig(): Record<string, unknown> & { exports: Record<string, unknown>[] } {
  return JSON.parse(readFileSync(`${configsDirectory}default.json`, 'utf8')) as Record<string, unknown> & {
    exports: Record<string, unknown>[];
  };
}
