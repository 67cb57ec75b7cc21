// `./dev demo`: a real export on the embedded local cloud. Run as `node packages/demo/dist/main.js [--keep]`.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { runDemo } from './demo/run-demo.js';

const usage = `usage: ./dev demo [--keep] [--timeout <seconds>] [--rows <per table>]
  --keep       after the export, keep the local cloud and the services running for bq-sftp (Ctrl-C stops)
  --timeout    how long to wait for the export (default 300)
  --rows       generated rows per sample table (default 500)`;

function positive(text: string | undefined, fallback: number, name: string): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name}: expected a positive whole number`);
  return value;
}

let exitCode: number;
try {
  const { values } = parseArgs({
    options: {
      keep: { type: 'boolean', default: false },
      timeout: { type: 'string' },
      rows: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
  const stop = new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  exitCode = await runDemo({
    repoRoot,
    directory: path.join(repoRoot, '.local-cloud'),
    keep: values.keep,
    timeoutMs: positive(values.timeout, 300, 'timeout') * 1000,
    rowsPerTable: positive(values.rows, 500, 'rows'),
    print: (line) => process.stdout.write(`${line}\n`),
    stopRequested: () => stop,
  });
} catch (error) {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  exitCode = 1;
}
process.exit(exitCode);
