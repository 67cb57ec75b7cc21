import { describe, expect, it } from '@jest/globals';
import { inspect } from 'node:util';

import { parseEnvironment } from '../env/environment.js';
import { validateExportConfig } from '../resolve/validate-export-config.js';
import { seedConfig } from '../testing/seed-config.js';
import { resolveNotificationSecrets, resolveSftpConnection } from './resolve-secrets.js';

const fingerprint = `SHA256:${'b'.repeat(43)}`;
const seed = validateExportConfig(seedConfig(), 'default');
const extended = validateExportConfig(
  {
    ...seedConfig(),
    destinations: {
      partner: {
        host: 'sftp.partner.example',
        username: 'acme',
        port: 2222,
        auth: { method: 'private_key', private_key_env: 'PARTNER_KEY', passphrase_env: 'PARTNER_PASSPHRASE' },
        host_key_fingerprints: [fingerprint],
        path: '/in',
      },
    },
    notifications: {
      email: {
        to: ['ops@example.com'],
        from: 'bqx@example.com',
        smtp_host: 'smtp.example.com',
        username: 'bqx',
      },
      slack: { enabled: true },
    },
  },
  'extended',
);

function errorOf(action: () => unknown): Error & { code?: string } {
  try {
    action();
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('expected an error');
}

describe('resolveSftpConnection', () => {
  it("resolves the seed's destination from the seed's variables", () => {
    const environment = parseEnvironment({
      SFTP_HOST: 'sftp.example.com',
      SFTP_USERNAME: 'verite',
      SFTP_PASSWORD: 'pw-1',
      SFTP_HOST_KEY_FINGERPRINTS: fingerprint,
    });
    const connection = resolveSftpConnection(seed, 'default', environment);
    expect(connection).toMatchObject({
      host: 'sftp.example.com',
      username: 'verite',
      port: 22,
      path: '/To_Verite',
    });
    expect(connection.hostKeyFingerprints).toEqual([fingerprint]);
    expect(connection.credentials.method).toBe('password');
    expect(connection.credentials.method === 'password' && connection.credentials.password.reveal()).toBe(
      'pw-1',
    );
    expect(JSON.stringify(connection)).not.toContain('pw-1');
    expect(inspect(connection, { depth: 10 })).not.toContain('pw-1');
  });

  it("lets SFTP_PORT override the seed block's port, and only the seed block's", () => {
    const environment = parseEnvironment({
      SFTP_HOST: '127.0.0.1',
      SFTP_USERNAME: 'verite',
      SFTP_PASSWORD: 'pw-1',
      SFTP_PORT: '40022',
      PARTNER_KEY: 'key',
      PARTNER_PASSPHRASE: 'pp',
    });
    expect(seed.destinations['default']?.port).toBe(22);
    expect(resolveSftpConnection(seed, 'default', environment).port).toBe(40022);
    expect(resolveSftpConnection(extended, 'partner', environment).port).toBe(2222);
  });

  it('resolves a named destination with a private key and passphrase', () => {
    const environment = parseEnvironment({ PARTNER_KEY: '-----BEGIN KEY-----', PARTNER_PASSPHRASE: 'pp' });
    const connection = resolveSftpConnection(extended, 'partner', environment);
    expect(connection).toMatchObject({
      host: 'sftp.partner.example',
      port: 2222,
      hostKeyFingerprints: [fingerprint],
    });
    expect(connection.credentials.method).toBe('private_key');
    expect(JSON.stringify(connection)).not.toContain('BEGIN KEY');
  });

  it('names every missing variable at once', () => {
    const error = errorOf(() => resolveSftpConnection(seed, 'default', parseEnvironment({})));
    expect(error.code).toBe('SECRETS_MISSING');
    expect(error.message).toBe(
      'destination "default": missing SFTP_HOST (sftp.host), SFTP_USERNAME (sftp.username), SFTP_PASSWORD (password)',
    );
    expect(errorOf(() => resolveSftpConnection(extended, 'partner', parseEnvironment({}))).message).toContain(
      'PARTNER_KEY (private key), PARTNER_PASSPHRASE (passphrase)',
    );
  });

  it('refuses an unknown destination', () => {
    expect(errorOf(() => resolveSftpConnection(seed, 'nope', parseEnvironment({}))).code).toBe(
      'DESTINATION_UNKNOWN',
    );
  });
});

describe('resolveNotificationSecrets', () => {
  it('skips channels the config does not set up', () => {
    expect(resolveNotificationSecrets(seed, parseEnvironment({}))).toEqual({});
  });

  it('resolves the SMTP password and the Slack webhook URL', () => {
    const secrets = resolveNotificationSecrets(
      extended,
      parseEnvironment({
        EMAIL_PASSWORD: 'mail-pw',
        SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T/B/X',
      }),
    );
    expect(secrets.email?.password?.reveal()).toBe('mail-pw');
    expect(secrets.slack?.webhookUrl.reveal()).toContain('hooks.slack.com');
    expect(JSON.stringify(secrets)).not.toMatch(/mail-pw|hooks\.slack/);
  });

  it('names missing notification secrets', () => {
    expect(errorOf(() => resolveNotificationSecrets(extended, parseEnvironment({}))).message).toBe(
      'notifications: missing EMAIL_PASSWORD (SMTP password), SLACK_WEBHOOK_URL (Slack webhook)',
    );
  });
});
