#!/usr/bin/env node
// Runs Jest for the package in the current directory: `node ../../scripts/jest.mjs unit|int [jest args]`.
// Results go to <repo>/.jest-results/<package>.<kind>.json so scripts/test-summary.mjs can
// total them.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const [kind = 'unit', ...rest] = process.argv.slice(2);
if (kind !== 'unit' && kind !== 'int') {
  console.error(`scripts/jest.mjs: kind must be "unit" or "int", got "${kind}"`);
  process.exit(2);
}
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkgDir = process.cwd();
const pkgName = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8')).name;
const resultsDir = path.join(root, '.jest-results');
mkdirSync(resultsDir, { recursive: true });
const outFile = path.join(resultsDir, `${pkgName.replace(/[@/]/g, '_')}.${kind}.json`);
const jestBin = path.join(
  path.dirname(createRequire(path.join(root, 'package.json')).resolve('jest/package.json')),
  'bin',
  'jest.js',
);
const config = JSON.stringify(
  (await import(path.join(root, 'jest.preset.js'))).jestConfig({ rootDir: pkgDir, kind }),
);

const result = spawnSync(
  process.execPath,
  [
    '--experimental-vm-modules',
    '--no-warnings=ExperimentalWarning',
    jestBin,
    '--config',
    config,
    '--passWithNoTests',
    '--json',
    '--outputFile',
    outFile,
    ...rest,
  ],
  { stdio: 'inherit', cwd: pkgDir, env: { ...process.env, BQX_TEST_KIND: kind } },
);
process.exit(result.status ?? 1);
