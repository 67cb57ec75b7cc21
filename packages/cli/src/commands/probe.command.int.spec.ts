import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import type { LocalCloud } from '@bq-sftp-export/local-cloud';
import { startLocalCloud } from '@bq-sftp-export/local-cloud';
import type { OpenSshServer } from '@bq-sftp-export/testing';
import { startOpenSshServer } from '@bq-sftp-export/testing';

import { runCaptured } from '../testing/run-captured.js';

const configs = path.resolve(import.meta.dirname, '../../../../configs');

describe('bq-sftp probe against the embedded SFTP server (seed sftp block)', () => {
  let cloud: LocalCloud;
  let env: Record<string, string>;
  let directory: string;

  beforeAll(async () => {
    cloud = await startLocalCloud();
    env = { ...cloud.env(), CONFIG_SOURCE: configs };
    directory = path.join(cloud.sftp.root, 'To_Verite');
    await mkdir(directory);
  });

  afterAll(() => cloud.stop());

  it('passes with the pinned key, prints the fingerprint, leaves no probe file', async () => {
    const result = await runCaptured(['probe', 'default'], env);
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(result.out).toContain(`host key ${cloud.sftp.hostKeyFingerprint} (pinned)`);
    for (const check of ['connect', 'directory', 'write', 'rename', 'verify', 'delete'])
      expect(result.out).toMatch(new RegExp(`ok +${check}: `));
    expect(result.out).toContain('(posix-rename@openssh.com)');
    expect(result.out).not.toContain(cloud.sftp.password);
    expect(await readdir(directory)).toEqual([]);
  });

  it('refuses an unknown host key, showing its fingerprint, and writes nothing', async () => {
    const { SFTP_HOST_KEY_FINGERPRINTS: _pinned, ...unpinned } = env;
    const result = await runCaptured(['probe', 'default', '--json'], unpinned);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.out) as {
      hostKeyFingerprint: string;
      hostKeyPinned: boolean;
      checks: unknown[];
    };
    expect(report.hostKeyFingerprint).toBe(cloud.sftp.hostKeyFingerprint);
    expect(report.hostKeyPinned).toBe(false);
    expect(report.checks).toEqual([
      {
        name: 'connect',
        ok: false,
        detail: expect.stringContaining(`host key ${cloud.sftp.hostKeyFingerprint} is not pinned`),
      },
    ]);

    const wrong = await runCaptured(['probe', 'default'], {
      ...env,
      SFTP_HOST_KEY_FINGERPRINTS: 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    });
    expect(wrong.code).toBe(1);
    expect(wrong.out).toContain(`host key ${cloud.sftp.hostKeyFingerprint} (NOT pinned)`);
    expect(wrong.out).toContain('not one of the pinned keys');
    expect(await readdir(directory)).toEqual([]);
  });

  it('names what is missing and refuses unknown destinations', async () => {
    const { SFTP_PASSWORD: _password, ...noPassword } = env;
    const missing = await runCaptured(['probe', 'default'], noPassword);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('SFTP_PASSWORD');
    const unknown = await runCaptured(['probe', 'partner_x'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('has no destination "partner_x"');
  });
});

describe('bq-sftp probe against a real OpenSSH server (named destination)', () => {
  let server: OpenSshServer;
  let configDir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    server = await startOpenSshServer();
    configDir = await mkdtemp(path.join(tmpdir(), 'bqx-cli-probe-'));
    const destination = (pins: string[], target = server.root) => ({
      host: server.host,
      port: server.port,
      username: server.username,
      auth: { method: 'password', password_env: 'PARTNER_PASSWORD' },
      path: target,
      host_key_fingerprints: pins,
    });
    await writeFile(
      path.join(configDir, 'partner.json'),
      JSON.stringify({
        exports: [
          {
            name: 'customers',
            source_table: 'prod_staging.shopify_customerdata',
            destination_filename: 'C_{datetime}.csv',
            columns: ['id'],
            destination: 'partner',
          },
        ],
        destinations: {
          partner: destination([server.hostKeyFingerprint]),
          partner_unpinned: destination([]),
          partner_missing_dir: destination(
            [server.hostKeyFingerprint],
            path.posix.join(server.root, 'missing'),
          ),
        },
        metadata_table: 'ops.export_metadata',
      }),
    );
    env = { CONFIG_SOURCE: configDir, PARTNER_PASSWORD: server.password! };
  });

  afterAll(async () => {
    await server.stop();
    await rm(configDir, { recursive: true, force: true });
  });

  it('passes when pinned and leaves no probe file', async () => {
    const result = await runCaptured(['probe', 'partner', '--config', 'partner', '--json'], env);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.out) as {
      ok: boolean;
      hostKeyFingerprint: string;
      checks: { ok: boolean }[];
    };
    expect(report).toMatchObject({
      ok: true,
      hostKeyFingerprint: server.hostKeyFingerprint,
      hostKeyPinned: true,
    });
    expect(report.checks.map((check) => check.ok)).toEqual([true, true, true, true, true, true]);
    expect(await readdir(server.root)).toEqual([]);
  });

  it('refuses the unpinned key before authentication, showing its fingerprint', async () => {
    const logins = (): number => (server.log().match(/(Accepted|Failed) password/g) ?? []).length;
    const before = logins();
    const result = await runCaptured(['probe', 'partner_unpinned', '--config', 'partner'], env);
    expect(result.code).toBe(1);
    expect(result.out).toContain(`host key ${server.hostKeyFingerprint} (NOT pinned)`);
    expect(result.out).toContain('refused before authentication');
    expect(logins()).toBe(before);
    expect(await readdir(server.root)).toEqual([]);
  });

  it('fails the directory check for a missing target directory', async () => {
    const result = await runCaptured(['probe', 'partner_missing_dir', '--config', 'partner', '--json'], env);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.out) as { checks: { name: string; ok: boolean }[] };
    expect(report.checks.map((check) => [check.name, check.ok])).toEqual([
      ['connect', true],
      ['directory', false],
    ]);
  });
});
