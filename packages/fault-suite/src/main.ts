// The kill matrix's long form: `pnpm --filter @bq-sftp-export/fault-suite run faults [-- options]`.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { KILL_POINTS } from './kill-matrix/kill-points.js';
import { runLongForm } from './kill-matrix/long-form.js';
import { allClean, renderTable, summarise } from './kill-matrix/matrix-report.js';

const usage = `usage: ./dev faults (or node packages/fault-suite/dist/main.js) [--trials 20] [--points a,b] [--rows 1500] [--max-minutes 600] [--seed N]
Kills the services at every fault point (--trials rounds, random timing), restarts them and checks
that every row is delivered exactly once; prints a table per point. Exit 0 when all is clean.`;

const { values } = parseArgs({
  options: {
    trials: { type: 'string', default: '20' },
    points: { type: 'string' },
    rows: { type: 'string', default: '1500' },
    'max-minutes': { type: 'string', default: '600' },
    seed: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  process.stdout.write(`${usage}\n`);
  process.exit(0);
}
const whole = (name: string, text: string): number => {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    process.stderr.write(`--${name}: expected a whole number of at least 1, got "${text}"\n${usage}\n`);
    process.exit(2);
  }
  return value;
};
const seed = values.seed === undefined ? Date.now() % 2 ** 31 : whole('seed', values.seed);
const trials = whole('trials', values.trials);
const rowsPerRun = whole('rows', values.rows);
const maxMinutes = whole('max-minutes', values['max-minutes']);
const points = values.points?.split(',');
const unknown = points?.filter((name) => !KILL_POINTS.some((point) => point.point === name)) ?? [];
if (unknown.length > 0) {
  process.stderr.write(
    `--points: unknown ${unknown.join(', ')}; the points: ${KILL_POINTS.map((point) => point.point).join(', ')}\n`,
  );
  process.exit(2);
}
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const started = Date.now();
// Ctrl-C or SIGTERM: finish the trial in progress, then print the table of what ran.
let stop = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    stop = true;
    process.stderr.write(`${signal}: stopping after the trial in progress\n`);
  });
}
process.stderr.write(`kill matrix, long form: seed ${seed}\n`);
const results = await runLongForm({
  repoRoot,
  trials,
  ...(points === undefined ? {} : { points }),
  rowsPerRun,
  maxMinutes,
  seed,
  stopRequested: () => stop,
  log: (line) => process.stderr.write(`${line}\n`),
});
const rows = summarise(results);
process.stdout.write(`${renderTable(rows)}\n`);
process.stdout.write(
  `\n${results.length} trials in ${((Date.now() - started) / 60_000).toFixed(1)} min (seed ${seed}); ${allClean(rows) ? 'no fault found' : 'FAULTS FOUND (see the lines above)'}\n`,
);
process.exit(allClean(rows) ? 0 : 1);
