import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { MAX_CONFIG_BYTES } from '@bq-sftp-export/config';
import { generateKey } from 'openpgp';

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
    expect(byName.code).toBe(0);
    expect(byName.out).toContain(
      'config "default" is valid: 2 export(s) (shopify_customers, klaviyo_customers)',
    );
    // The seed's {datetime} has one-second resolution: a warning per export, still exit 0.
    expect(byName.err.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^warning: exports\[0\]\.destination_filename: export "shopify_customers": two runs/,
      ),
      expect.stringMatching(
        /^warning: exports\[1\]\.destination_filename: export "klaviyo_customers": two runs/,
      ),
    ]);
    const byPath = await runCaptured(['validate', path.join(configs, 'default.json'), '--json'], {});
    expect(byPath.code).toBe(0);
    expect(JSON.parse(byPath.out)).toEqual({
      valid: true,
      config: 'default',
      exports: ['shopify_customers', 'klaviyo_customers'],
      destinations: ['default'],
      warnings: [
        { path: 'exports[0].destination_filename', message: expect.stringContaining('"shopify_customers"') },
        { path: 'exports[1].destination_filename', message: expect.stringContaining('"klaviyo_customers"') },
      ],
    });
  });

  it('warns (exit 0) for a {date}-only template and not for {run_id} or {datetime_ms}', async () => {
    const file = path.join(directory, 'daily.json');
    await writeFile(
      file,
      JSON.stringify({
        exports: [
          { name: 'daily', source_table: 'ds.t', destination_filename: 'D_{date}.csv', columns: ['id'] },
          { name: 'per_run', source_table: 'ds.t', destination_filename: 'R_{run_id}.csv', columns: ['id'] },
          { name: 'ms', source_table: 'ds.t', destination_filename: 'M_{datetime_ms}.csv', columns: ['id'] },
        ],
        metadata_table: 'ds.meta',
        sftp: { path: '/in' },
      }),
    );
    const text = await runCaptured(['validate', file], {});
    expect(text.code).toBe(0);
    expect(text.out).toContain('config "daily" is valid: 3 export(s)');
    expect(text.err.trim().split('\n')).toEqual([
      'warning: exports[0].destination_filename: export "daily": two runs started in the same second render the same name (the second meets the first\'s file: collision "fail"); add {run_id}, {datetime_ms} or {time_ms} to make it unique per run',
    ]);
    const json = await runCaptured(['validate', file, '--json'], {});
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.out) as { warnings: { path: string }[] };
    expect(parsed.warnings.map((warning) => warning.path)).toEqual(['exports[0].destination_filename']);
  });

  it('refuses a template whose temp name is over 255 bytes at its widest, with the byte count', async () => {
    const file = path.join(directory, 'long.json');
    await writeFile(
      file,
      JSON.stringify({
        exports: [
          {
            name: 'long',
            source_table: 'ds.t',
            destination_filename: `${'n'.repeat(216)}_{run_id}.csv`, // 216 + 1 + 29 + 4 = 250 bytes
            columns: ['id'],
          },
        ],
        metadata_table: 'ds.meta',
        sftp: { path: '/in' },
      }),
    );
    const result = await runCaptured(['validate', file], {});
    expect(result.code).toBe(1);
    expect(result.err).toContain(
      'exports[0].destination_filename: export "long": the temporary name (temp_name of destination "default") renders up to 256 bytes (UTF-8); expected at most 255',
    );
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

  it('checks OpenPGP keys as the uploader does: a bad one fails naming its field, an unset variable is said', async () => {
    const expired = await generateKey({
      type: 'curve25519',
      userIDs: [{ email: 'old@example.test' }],
      date: new Date(Date.now() - 7200_000),
      keyExpirationTime: 60,
    });
    const withPgp = (pgp: unknown) =>
      JSON.stringify({
        exports: [
          { name: 'e', source_table: 'ds.t', destination_filename: 'E_{run_id}.csv', columns: ['id'] },
        ],
        metadata_table: 'ds.meta',
        sftp: { path: '/in', pgp },
      });
    const bad = path.join(directory, 'pgp-bad.json');
    await writeFile(
      bad,
      withPgp({ recipients: [{ public_key_env: 'PARTNER_KEY' }, { public_key: expired.publicKey }] }),
    );
    const refused = await runCaptured(['validate', bad], { PARTNER_KEY: 'garbled' });
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('config "pgp-bad" is invalid (2 problems)');
    expect(refused.err).toContain(
      '  sftp.pgp.recipients[0].public_key_env: not a readable armored OpenPGP public key',
    );
    expect(refused.err).toMatch(
      / {2}sftp\.pgp\.recipients\[1\]\.public_key: key [0-9A-F]{40} \(<old@example\.test>\) expired on /,
    );
    const json = await runCaptured(['validate', bad, '--json'], { PARTNER_KEY: 'garbled' });
    expect(JSON.parse(json.out)).toMatchObject({
      valid: false,
      problems: [{ path: 'sftp.pgp.recipients[0].public_key_env' }, {}],
    });

    const partner = await generateKey({ type: 'curve25519', userIDs: [{ email: 'p@example.test' }] });
    const good = path.join(directory, 'pgp-good.json');
    await writeFile(
      good,
      withPgp({ recipients: [{ public_key: partner.publicKey }, { public_key_env: 'PARTNER_KEY' }] }),
    );
    const unchecked = await runCaptured(['validate', good], {});
    expect(unchecked.code).toBe(0);
    expect(unchecked.out).toContain(
      '  OpenPGP key not checked: sftp.pgp.recipients[1].public_key_env (PARTNER_KEY is not set here)',
    );
    const uncheckedJson = JSON.parse((await runCaptured(['validate', good, '--json'], {})).out) as unknown;
    expect(uncheckedJson).toMatchObject({
      valid: true,
      pgp_keys_unchecked: [{ path: 'sftp.pgp.recipients[1].public_key_env', variable: 'PARTNER_KEY' }],
    });
    const checked = await runCaptured(['validate', good], { PARTNER_KEY: partner.publicKey });
    expect(checked).toMatchObject({ code: 0, err: '' });
    expect(checked.out).not.toContain('not checked');
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
