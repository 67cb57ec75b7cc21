#!/usr/bin/env node
// Totals the Jest result files written by scripts/jest.mjs and prints the closing line
// `tests: N passed, M failed`. Exits non-zero when any test failed, any suite failed to run,
// or no test ran at all.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '.jest-results');
let passed = 0;
let failed = 0;
let brokenSuites = 0;
let files = [];
try {
  files = readdirSync(dir).filter((f) => f.endsWith('.json'));
} catch {
  files = [];
}
for (const file of files.sort()) {
  const r = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  brokenSuites += r.numRuntimeErrorTestSuites ?? 0;
  console.log(
    `  ${file.replace(/\.json$/, '')}: ${r.numPassedTests} passed, ${r.numFailedTests} failed${r.numRuntimeErrorTestSuites ? `, ${r.numRuntimeErrorTestSuites} suites did not run` : ''}`,
  );
}
if (brokenSuites > 0) console.log(`${brokenSuites} test suites failed to run`);
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 || brokenSuites > 0 || passed === 0 ? 1 : 0);
