import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

const run = promisify(execFile);
const cli = path.join(path.dirname(fileURLToPath(import.meta.url)), 'bench.ts');

/** A smoke run of the real command on tiny sizes: it runs, prints the table, writes JSON. No thresholds. */
describe('bench --quick --only=csv', () => {
  let dir: string;
  let stdout: string;
  let out: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'bqx-bench-smoke-'));
    out = path.join(dir, 'results.json');
    ({ stdout } = await run(
      process.execPath,
      ['--import', 'tsx', cli, '--quick', '--only=csv', '--scale=0.01', `--out=${out}`],
      { cwd: path.dirname(cli), maxBuffer: 1 << 24 },
    ));
  }, 120_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints the table with the CSV row against DuckDB', () => {
    expect(stdout).toMatch(
      /\| stage +\| project path +\| baseline \(same run\) +\| ratio +\| target +\| met\? +\|/,
    );
    expect(stdout).toMatch(
      /\| CSV encoding, 1k rows × 22 columns +\| \d+k rows\/s +\| DuckDB COPY, 1 thread: /,
    );
  });

  it('writes the results as JSON with the measured samples', async () => {
    const results = JSON.parse(await readFile(out, 'utf8')) as {
      settings: { quick: boolean; rows: number };
      rows: { stage: string; ratio: number; data: { samples: Record<string, unknown[]> } }[];
      failures: unknown[];
    };
    expect(results.settings).toMatchObject({ quick: true, rows: 1000 });
    expect(results.failures).toEqual([]);
    expect(results.rows).toHaveLength(1);
    expect(results.rows[0]!.ratio).toBeGreaterThan(0);
    expect(results.rows[0]!.data.samples['project']).toHaveLength(3);
    expect(results.rows[0]!.data.samples['duckdb']).toHaveLength(3);
  });
});
