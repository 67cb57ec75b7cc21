import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { parseEnvironment } from '../env/environment.js';
import { createConfigSource } from '../source/load-config.js';
import { seedConfig } from '../testing/seed-config.js';
import { checkConfigSecrets } from './check-config-secrets.js';

const fingerprint = `SHA256:${'b'.repeat(43)}`;
const seedEnv = {
  SFTP_HOST: 'sftp.example.com',
  SFTP_USERNAME: 'verite',
  SFTP_PASSWORD: 'pw-secret-1',
  SFTP_HOST_KEY_FINGERPRINTS: fingerprint,
};

describe('checkConfigSecrets', () => {
  let directory = '';

  beforeAll(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'bqx-secrets-'));
    const seed = seedConfig() as { exports: Record<string, unknown>[] };
    await writeFile(path.join(directory, 'default.json'), JSON.stringify(seed));
    await writeFile(
      path.join(directory, 'partner.json'),
      JSON.stringify({
        ...seed,
        exports: [{ ...seed.exports[0], destination: 'partner' }],
        destinations: {
          partner: {
            host: 'sftp.partner.example',
            username: 'acme',
            auth: {
              method: 'private_key',
              private_key_env: 'PARTNER_KEY',
              passphrase_env: 'PARTNER_PASSPHRASE',
            },
            host_key_fingerprints: [fingerprint],
            path: '/in',
          },
        },
        notifications: { slack: {} },
      }),
    );
    await writeFile(path.join(directory, 'broken.json'), '{"exports": [');
    await writeFile(path.join(directory, 'notes.txt'), 'not a config');
  });

  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('checks every config of a directory; an invalid one is skipped and reported', async () => {
    const environment = parseEnvironment({ ...seedEnv, PARTNER_KEY: 'KEY', PARTNER_PASSPHRASE: 'pp' });
    await expect(checkConfigSecrets(createConfigSource(directory), environment, 'sftp')).resolves.toEqual({
      checked: ['default', 'partner'],
      invalid: ['broken'],
      listed: true,
    });
  });

  it('names every missing variable with its config and destination, never a value', async () => {
    const { SFTP_PASSWORD: _password, ...withoutPassword } = seedEnv;
    const environment = parseEnvironment({ ...withoutPassword, PARTNER_PASSPHRASE: 'pp-secret-2' });
    const error = await checkConfigSecrets(createConfigSource(directory), environment, 'sftp').catch(
      (caught: unknown) => caught as Error & { code?: string },
    );
    expect(error).toMatchObject({ code: 'SECRETS_MISSING', retryable: false });
    const message = (error as Error).message;
    expect(message).toContain('config "default": destination "default": missing SFTP_PASSWORD');
    expect(message).toContain('config "partner": destination "partner": missing PARTNER_KEY');
    expect(message).not.toContain('pp-secret-2');
  });

  it("checks the notification channels' secrets for tracker-notifier", async () => {
    const environment = parseEnvironment(seedEnv);
    await expect(
      checkConfigSecrets(createConfigSource(directory), environment, 'notifications'),
    ).rejects.toThrow(/config "partner": .*SLACK_WEBHOOK_URL/);
    await expect(
      checkConfigSecrets(
        createConfigSource(directory),
        parseEnvironment({ ...seedEnv, SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T/B/x' }),
        'notifications',
      ),
    ).resolves.toMatchObject({ checked: ['default', 'partner'] });
  });

  it('checks nothing where the source cannot list its configs (gs://), and an absent directory holds none', async () => {
    const gcs = createConfigSource('gs://bqx-configs/p', {
      blobReader: { read: () => Promise.resolve(undefined) },
    });
    await expect(checkConfigSecrets(gcs, parseEnvironment({}), 'sftp')).resolves.toEqual({
      checked: [],
      invalid: [],
      listed: false,
    });
    const absent = createConfigSource(path.join(directory, 'absent'));
    await expect(checkConfigSecrets(absent, parseEnvironment({}), 'sftp')).resolves.toMatchObject({
      checked: [],
      listed: true,
    });
  });
});
