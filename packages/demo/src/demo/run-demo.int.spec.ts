import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { runDemo } from './run-demo.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');

/** The environment block of `demo.env` as variables (`export NAME=value`, values maybe single-quoted). */
function parseEnvFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^export ([A-Z_]+)=(.*)$/.exec(line);
    if (match === null) continue;
    const raw = match[2]!;
    env[match[1]!] = raw.startsWith("'") ? raw.slice(1, -1).replaceAll(`'\\''`, "'") : raw;
  }
  return env;
}

describe('runDemo, the main job (services as processes, the directory-backed local cloud)', () => {
  let directory: string;

  beforeAll(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'bqx-demo-'));
  });

  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('delivers both exports, prints progress and the summary, and in keep mode serves bq-sftp until asked to stop', async () => {
    const lines: string[] = [];
    let history = '';
    const code = await runDemo({
      repoRoot,
      directory,
      keep: true,
      timeoutMs: 120_000,
      rowsPerTable: 20,
      print: (line) => lines.push(line),
      stopRequested: async () => {
        const env = parseEnvFile(await readFile(path.join(directory, 'demo.env'), 'utf8'));
        const { stdout } = await promisify(execFile)(
          process.execPath,
          [path.join(repoRoot, 'packages', 'cli', 'dist', 'main.js'), 'history', '--json'],
          { env: { PATH: process.env['PATH'] ?? '', ...env }, cwd: repoRoot },
        );
        history = stdout;
      },
    });

    expect(code).toBe(0);
    const output = lines.join('\n');
    expect(output).toContain('seeded prod_staging.shopify_customerdata: 20 rows');
    expect(output).toMatch(/shopify_customers: staged 20 rows as SHOPIFYCUSTOMERDATA_\d{8}_\d{6}\.csv/);
    expect(output).toContain('40 rows so far');
    expect(output).toContain('source ');
    expect(output).toMatch(/resend --run (?!<)\S+ --export (shopify|klaviyo)_customers/);

    const delivered = await readdir(path.join(directory, 'sftp', 'To_Verite'));
    expect(delivered.sort()).toEqual([
      expect.stringMatching(/^KLAVIYOCUSTOMERDATA_\d{8}_\d{6}\.csv$/),
      expect.stringMatching(/^SHOPIFYCUSTOMERDATA_\d{8}_\d{6}\.csv$/),
    ]);
    for (const file of delivered) expect(output).toContain(path.join(directory, 'sftp', 'To_Verite', file));
    expect(output).toMatch(/email: 2 message\(s\) in .*mail/);
    expect(output).toMatch(/Slack: 2 post\(s\) in .*posts\.json/);
    expect(await readdir(path.join(directory, 'mail'))).toHaveLength(2);
    expect(await readdir(path.join(directory, 'logs'))).toEqual([
      'extractor.log',
      'tracker-notifier.log',
      'uploader.log',
    ]);

    const runs = JSON.parse(history) as { export_name: string; export_status: string }[];
    expect(runs.map((run) => [run.export_name, run.export_status]).sort()).toEqual([
      ['klaviyo_customers', 'success'],
      ['shopify_customers', 'success'],
    ]);
  }, 240_000);
});
