#!/usr/bin/env node
// Imports every workspace package's built entry points in plain Node, the way production loads
// them. Jest resolves TypeScript sources and interops CommonJS more leniently than Node does
// (e.g. a named import from a CommonJS package), so this catches what unit tests cannot.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
let failed = 0;
let checked = 0;
for (const group of ['packages', 'services']) {
  for (const name of readdirSync(path.join(root, group))) {
    const dir = path.join(root, group, name);
    const manifestPath = path.join(dir, 'package.json');
    if (!existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
      const entry = typeof target === 'string' ? target : target.default;
      if (!entry || subpath.includes('testing')) continue;
      checked++;
      try {
        await import(pathToFileURL(path.join(dir, entry)).href);
      } catch (error) {
        failed++;
        console.error(
          `smoke: ${manifest.name}${subpath.slice(1)} (${entry}) does not load in Node: ${error.message}`,
        );
      }
    }
  }
}
console.log(`smoke: ${checked - failed} of ${checked} built entry points load in plain Node`);
process.exit(failed > 0 ? 1 : 0);
