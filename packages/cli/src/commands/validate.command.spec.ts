import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { MAX_CONFIG_BYTES } from '@bq-sftp-export/config';

import { runCaptured } from '../testing/run-captured.js';

const configs = path.resolve(import.meta.dirname, '../../../../configs');

describe('bq-sftp validate', () => {
  let directory: string;

  beforeAll(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'bqx-cli-validate-'));
    await writeFile(
      path.join(directory, 'broken.json'),
      JSON.stringify({
        exports: [
          { name: 'a', source_table: 'ds.t;drop', destination_filename: 'A_{datetim}.csv', columns: ['id'] },
          { name: 'a', source_table: 'ds.t', destination_filename: '../x.csv', columns: ['id', 'id'] },
        ],
        metadata_table: 'ds.meta',
        sftp: { path: '/in' },
      }),
    );
    await writeFile(path.join(directory, 'notjson.json'), '{"exports": [');
    await writeFile(path.join(directory, 'latin1.json'), Buffer.from('{"exports": "caf\xe9"}', 'latin1'));
  });

  afterAll(() => rm(directory, { recursive: true, force: true }));

  it('accepts the seed config by name from CONFIG_SOURCE and by path', async () => {
    const byName = await runCaptured(['validate', 'default'], { CONFIG_SOURCE: configs });
    expect(byName).toMatchObject({ code: 0, err: '' });
    expect(byName.out).toContain(
      'config "default" is valid: 2 export(s) (shopify_customers, klaviyo_customers)',
    );
    const byPath = await runCaptured(['validate', path.join(configs, 'default.json'), '--json'], {});
    expect(byPath.code).toBe(0);
    expect(JSON.parse(byPath.out)).toEqual({
      valid: true,
      config: 'default',
      exports: ['shopify_customers', 'klaviyo_customers'],
      destinations: ['default'],
    });
  });

  it('refuses a config file of unbounded size (a link to /dev/zero) by path, naming the file and the limit', async () => {
    const endless = path.join(directory, 'endless.json');
    await symlink('/dev/zero', endless);
    const result = await runCaptured(['validate', endless], {});
    expect(result.code).toBe(1);
    expect(result.err).toContain(`${endless} is larger than the ${MAX_CONFIG_BYTES}-byte limit`);
  });

  it('lists every problem at once and exits 1', async () => {
    const result = await runCaptured(['validate', path.join(directory, 'broken.json')], {});
    expect(result.code).toBe(1);
    expect(result.out).toBe('');
    for (const field of [
      'exports[0].source_table',
      'exports[0].destination_filename',
      'exports[1].destination_filename',
      'exports[1].columns',
      'exports[1].name',
    ])
      expect(result.err).toContain(`  ${field}: `);
    expect(result.err).toMatch(/config "broken" is invalid \(\d+ problems\)/);
    expect(result.err).toContain('[CONFIG_INVALID]');
    expect(result.err).not.toContain('    at ');

    const json = await runCaptured(['validate', path.join(directory, 'broken.json'), '--json'], {});
    expect(json.code).toBe(1);
    const parsed = JSON.parse(json.out) as { valid: boolean; problems: { path: string }[] };
    expect(parsed.valid).toBe(false);
    expect(parsed.problems.map((problem) => problem.path)).toEqual(
      expect.arrayContaining(['exports[0].source_table', 'exports[1].name']),
    );
  });

  it('reports malformed JSON and missing configs as failures, bad usage with exit 2', async () => {
    expect((await runCaptured(['validate', path.join(directory, 'notjson.json')], {})).code).toBe(1);
    const missing = await runCaptured(['validate', 'nope'], { CONFIG_SOURCE: directory });
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('[CONFIG_NOT_FOUND]');
    expect((await runCaptured(['validate'], {})).code).toBe(2);
    expect((await runCaptured(['no-such-command'], {})).code).toBe(2);
    const verbose = await runCaptured(['--verbose', 'validate', 'nope'], { CONFIG_SOURCE: directory });
    expect(verbose.code).toBe(1);
    expect(verbose.err).toContain('caused by:');
    expect(verbose.err).toContain('ENOENT');
    const help = await runCaptured(['validate', '--help'], {});
    expect(help.code).toBe(0);
    expect(help.out).toContain('Usage: bq-sftp validate');
  });

  it('refuses a file that is not UTF-8, by path or by name, naming the file', async () => {
    const byPath = await runCaptured(['validate', path.join(directory, 'latin1.json')], {});
    expect(byPath.code).toBe(1);
    expect(byPath.err).toContain('latin1.json is not UTF-8 text');
    const byName = await runCaptured(['validate', 'latin1'], { CONFIG_SOURCE: directory });
    expect(byName.code).toBe(1);
    expect(byName.err).toContain('latin1.json is not UTF-8 text');
  });

  it('refuses a key given twice, by path, naming the file, the key and its path', async () => {
    const seed = await readFile(path.join(configs, 'default.json'), 'utf8');
    const twice = path.join(directory, 'twice.json');
    await writeFile(
      twice,
      seed.replace('"incremental": true,', '"incremental": true, "incremental": false,'),
    );
    const result = await runCaptured(['validate', twice], {});
    expect(result.code).toBe(1);
    expect(result.err).toContain('[CONFIG_INVALID]');
    expect(result.err).toContain(`  exports[0].incremental: duplicate key "incremental" in ${twice}`);
  });
});
