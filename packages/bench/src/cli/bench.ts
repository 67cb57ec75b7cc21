/**
 * `bench [--quick] [--only=sftp,csv,…] [--scale=0.1] [--out=<file>]`: runs each stage against
 * its baseline in the same run, prints the table and writes the figures as JSON (default
 * `<repo>/.bench/results.json`).
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

import type { BenchRow } from '../report/bench-row.js';
import { renderTable } from '../report/table.js';
import { benchSettings } from '../stages/bench-settings.js';
import { stages } from '../stages/stages.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    scale: { type: 'string' },
    out: { type: 'string', default: path.join(repo, '.bench', 'results.json') },
  },
});

const selected = values.only?.split(',').map((s) => s.trim()) ?? Object.keys(stages);
const unknown = selected.filter((name) => !(name in stages));
if (unknown.length > 0) {
  console.error(`unknown stage(s): ${unknown.join(', ')} (stages: ${Object.keys(stages).join(', ')})`);
  process.exit(2);
}

const memoryDir = existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();
const scratch = await mkdtemp(path.join(memoryDir, 'bqx-bench-'));
const settings = benchSettings({
  quick: values.quick,
  dir: scratch,
  serverDir: memoryDir,
  ...(values.scale === undefined ? {} : { scale: Number(values.scale) }),
});
const started = Date.now();
const rows: BenchRow[] = [];
const failures: { stage: string; error: string }[] = [];
try {
  for (const name of selected) {
    console.error(`[bench] ${name} …`);
    const stageStarted = Date.now();
    try {
      rows.push(...(await stages[name]!(settings)));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      failures.push({ stage: name, error: message });
      rows.push({
        stage: name,
        project: `failed: ${message}`,
        baseline: '–',
        ratio: null,
        target: '–',
        met: false,
      });
    }
    console.error(`[bench] ${name} done in ${((Date.now() - stageStarted) / 1000).toFixed(0)} s`);
  }
} finally {
  await rm(scratch, { recursive: true, force: true });
}

const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
console.log(
  `\nbench${settings.quick ? ' --quick' : ''}: medians of ${settings.runs} runs; ${machine}; ${((Date.now() - started) / 1000).toFixed(0)} s\n`,
);
console.log(renderTable(rows));
await mkdir(path.dirname(values.out), { recursive: true });
await writeFile(
  values.out,
  `${JSON.stringify({ date: new Date().toISOString(), machine, settings, rows, failures }, null, 2)}\n`,
);
console.log(`\nresults: ${path.relative(process.cwd(), values.out) || values.out}`);
process.exit(failures.length === 0 ? 0 : 1);
