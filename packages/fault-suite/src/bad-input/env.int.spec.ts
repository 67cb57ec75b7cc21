import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { startService } from '@bq-sftp-export/demo';
import type { ServiceName } from '@bq-sftp-export/demo';

import { capturedFiles, describeLeaks, scanForLeaks } from './leak-scan.js';
import { repoRoot, startBadInputStack } from './testing/bad-input-stack.js';
import type { BadInputStack } from './testing/bad-input-stack.js';
import { logRecords } from './testing/service-checks.js';

interface EnvCase {
  readonly name: string;
  readonly service: ServiceName;
  /** Variables left out of (or emptied in) the service's environment. */
  readonly unset: readonly string[];
  readonly emptied?: readonly string[];
  /** A config the service finds besides the demo's, needing other secrets. */
  readonly extraConfig?: boolean;
  /** What the start-up failure names. */
  readonly names: readonly string[];
}

const cases: EnvCase[] = [
  {
    name: 'uploader without SFTP_PASSWORD',
    service: 'uploader',
    unset: ['SFTP_PASSWORD'],
    names: ['config "default"', 'destination "default"', 'SFTP_PASSWORD'],
  },
  {
    name: 'uploader with SFTP_PASSWORD empty',
    service: 'uploader',
    unset: [],
    emptied: ['SFTP_PASSWORD'],
    names: ['SFTP_PASSWORD'],
  },
  {
    name: "uploader without a named destination's private key (PARTNER_KEY)",
    service: 'uploader',
    unset: ['PARTNER_KEY'],
    extraConfig: true,
    names: ['config "partner"', 'destination "partner"', 'PARTNER_KEY'],
  },
  {
    name: 'tracker-notifier without SLACK_WEBHOOK_URL',
    service: 'tracker-notifier',
    unset: ['SLACK_WEBHOOK_URL'],
    names: ['config "default"', 'SLACK_WEBHOOK_URL'],
  },
  {
    name: 'tracker-notifier without STAGING_BUCKET',
    service: 'tracker-notifier',
    unset: ['STAGING_BUCKET'],
    names: ['STAGING_BUCKET'],
  },
];

/**
 * A service started with a secret missing from its environment stops at start-up, exit code 1,
 * with one line naming the variable (and where it is needed), instead of failing every message.
 */
describe('bad input: missing environment secrets', () => {
  let bad: BadInputStack;

  beforeAll(async () => {
    bad = await startBadInputStack('bad-env', 5);
  }, 240_000);

  afterAll(async () => {
    await bad?.stop();
  });

  async function configDirectory(label: string, extraConfig: boolean): Promise<string> {
    const directory = path.join(bad.workDir, 'env-configs', label);
    await mkdir(directory, { recursive: true });
    await copyFile(
      path.join(bad.stack.configDirectory, 'default.json'),
      path.join(directory, 'default.json'),
    );
    if (extraConfig) {
      const demo = JSON.parse(await readFile(path.join(directory, 'default.json'), 'utf8')) as {
        exports: Record<string, unknown>[];
      };
      const partner = {
        ...demo,
        exports: [{ ...demo.exports[0], destination: 'partner' }],
        destinations: {
          partner: {
            host: bad.sftp.host,
            port: bad.sftp.port,
            username: bad.sftp.username,
            path: bad.stack.deliveryDirectory,
            auth: { method: 'private_key', private_key_env: 'PARTNER_KEY' },
            host_key_fingerprints: [bad.sftp.hostKeyFingerprint],
          },
        },
      };
      await writeFile(path.join(directory, 'partner.json'), JSON.stringify(partner));
    }
    return directory;
  }

  async function start(
    label: string,
    service: ServiceName,
    env: Record<string, string>,
    extraConfig = false,
  ) {
    const logDirectory = path.join(bad.workDir, 'env-logs', label);
    const started = await startService(service, {
      repoRoot,
      env: {
        PATH: process.env['PATH'] ?? '',
        ...env,
        CONFIG_SOURCE: await configDirectory(label, extraConfig),
      },
      logDirectory,
    });
    return { process: started, logDirectory };
  }

  it('the control: with every variable set, the uploader (with the partner config) and tracker-notifier start', async () => {
    for (const service of ['uploader', 'tracker-notifier'] as const) {
      const { process } = await start(`control-${service}`, service, bad.env, true);
      await expect(process.started).resolves.toBeUndefined();
      expect(await process.stop()).toEqual({ code: 0, signal: null });
    }
  });

  it.each(cases)('$name: exits 1 at start-up naming it', async (entry) => {
    const env: Record<string, string> = { ...bad.env };
    for (const name of entry.unset) delete env[name];
    for (const name of entry.emptied ?? []) env[name] = '';
    const label = entry.name.replace(/[^A-Za-z0-9]+/g, '-');
    const { process, logDirectory } = await start(label, entry.service, env, entry.extraConfig);
    await expect(process.started).rejects.toThrow('exited during start-up');
    expect(await process.exited).toEqual({ code: 1, signal: null });
    const fatal = (await logRecords(process.logFile)).filter((record) => record['severity'] === 'CRITICAL');
    expect(fatal).toHaveLength(1);
    expect(fatal[0]!['message']).toEqual(expect.stringContaining('start-up failed'));
    for (const name of entry.names) expect(fatal[0]!['message']).toContain(name);
    expect(describeLeaks(scanForLeaks(await capturedFiles(logDirectory), bad.secrets()))).toBe('');
  });
});
