import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Readable } from 'node:stream';
import { inspect } from 'node:util';

import { isAppError, type AppError } from '@bq-sftp-export/runtime';
import {
  generateSshKey,
  startOpenSshServer,
  type OpenSshServer,
  type SshKeyPair,
} from '@bq-sftp-export/testing';

import type { SftpDestination } from './sftp-destination.js';
import { SftpErrorCode } from './sftp-errors.js';
import { SftpFileTransfer } from './sftp-file-transfer.adapter.js';
import { destinationFor, recordingLogger } from './testing/sftp-test-kit.js';

const passphrase = 'tr0ub4dor&3-passphrase';
const otherFingerprint = 'SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU';

describe('SFTP connection against a real OpenSSH server', () => {
  let server: OpenSshServer;
  let ed25519: SshKeyPair;
  let rsaPem: SshKeyPair;
  let ecdsa: SshKeyPair;

  beforeAll(async () => {
    [ed25519, rsaPem, ecdsa] = await Promise.all([
      generateSshKey({ type: 'ed25519', passphrase }),
      generateSshKey({ type: 'rsa', format: 'pem' }),
      generateSshKey({ type: 'ecdsa', passphrase, format: 'pem' }),
    ]);
    server = await startOpenSshServer({
      authorizedKeys: [ed25519.publicKey, rsaPem.publicKey, ecdsa.publicKey],
      keyboardInteractive: true,
    });
  });
  afterAll(async () => {
    await server.stop();
  });

  /** Uploads a small file; resolves with the result or the AppError, plus whether auth was attempted. */
  async function attempt(
    overrides: Partial<SftpDestination>,
    fileName = `f-${Math.random().toString(36).slice(2)}.csv`,
  ) {
    let authAttempts = 0;
    const logger = recordingLogger();
    const transfer = new SftpFileTransfer(
      logger,
      { readyTimeoutMs: 15_000 },
      { onAuthAttempt: () => (authAttempts += 1) },
    );
    const outcome = await transfer
      .upload({
        destination: destinationFor(server, overrides),
        fileName,
        source: Readable.from([Buffer.from('id,name\n1,a\n')]),
      })
      .then(
        (result) => ({ result, error: undefined }),
        (error: unknown) => ({ result: undefined, error: error as AppError }),
      );
    return { ...outcome, authAttempts, logger };
  }

  it.each([
    ['password', () => ({ auth: { type: 'password', password: server.password! } })],
    ['keyboard-interactive', () => ({ auth: { type: 'keyboard-interactive', password: server.password! } })],
    [
      'ed25519 key with passphrase',
      () => ({ auth: { type: 'private-key', privateKey: ed25519.privateKey, passphrase } }),
    ],
    ['RSA PEM key', () => ({ auth: { type: 'private-key', privateKey: rsaPem.privateKey } })],
    [
      'ECDSA PEM key with passphrase',
      () => ({ auth: { type: 'private-key', privateKey: ecdsa.privateKey, passphrase } }),
    ],
  ] as const)('authenticates with %s', async (_name, overrides) => {
    const { result, error, authAttempts } = await attempt(overrides() as Partial<SftpDestination>);
    expect(error).toBeUndefined();
    expect(result?.outcome).toBe('uploaded');
    expect(result?.hostKeyFingerprint).toBe(server.hostKeyFingerprint);
    expect(authAttempts).toBe(1);
  });

  it('refuses a host key that is not pinned before sending any credential', async () => {
    const logBefore = server.log().length;
    const { error, authAttempts } = await attempt({ hostKeyFingerprints: [otherFingerprint] });
    expect(isAppError(error)).toBe(true);
    expect(error?.code).toBe(SftpErrorCode.hostKeyMismatch);
    expect(error?.retryable).toBe(false);
    expect(error?.message).toContain(server.hostKeyFingerprint);
    expect(authAttempts).toBe(0);
    const serverSaw = server.log().slice(logBefore);
    expect(serverSaw).not.toMatch(/userauth|Accepted|Failed (password|publickey)|Postponed/i);
  });

  it('with no fingerprint pinned, refuses and shows the server fingerprint so an operator can pin it', async () => {
    const { error, authAttempts } = await attempt({ hostKeyFingerprints: [] });
    expect(error?.code).toBe(SftpErrorCode.hostKeyNotPinned);
    expect(error?.retryable).toBe(false);
    expect(error?.message).toContain(server.hostKeyFingerprint);
    expect(error?.details['serverFingerprint']).toBe(server.hostKeyFingerprint);
    expect(authAttempts).toBe(0);
  });

  it('accepts any host key only with the explicit opt-out, and logs it loudly', async () => {
    const { result, logger } = await attempt({ hostKeyFingerprints: [], insecureSkipHostKeyCheck: true });
    expect(result?.outcome).toBe('uploaded');
    expect(logger.entries).toContainEqual(
      expect.objectContaining({ level: 'warn', message: expect.stringContaining('HOST KEY NOT VERIFIED') }),
    );
  });

  it('keeps enforcing pinned fingerprints even with the opt-out set', async () => {
    const { error } = await attempt({
      hostKeyFingerprints: [otherFingerprint],
      insecureSkipHostKeyCheck: true,
    });
    expect(error?.code).toBe(SftpErrorCode.hostKeyMismatch);
  });

  it('reports a wrong passphrase as such, before connecting', async () => {
    const { error, authAttempts } = await attempt({
      auth: { type: 'private-key', privateKey: ed25519.privateKey, passphrase: 'not the passphrase' },
    });
    expect(error?.code).toBe(SftpErrorCode.keyPassphraseWrong);
    expect(error?.retryable).toBe(false);
    expect(authAttempts).toBe(0);
  });

  it('reports a missing passphrase as such', async () => {
    const { error } = await attempt({ auth: { type: 'private-key', privateKey: ed25519.privateKey } });
    expect(error?.code).toBe(SftpErrorCode.keyPassphraseMissing);
  });

  it('reports a refused password as a permanent authentication failure', async () => {
    const { error, authAttempts } = await attempt({
      auth: { type: 'password', password: 'wrong-password-123' },
    });
    expect(error?.code).toBe(SftpErrorCode.authFailed);
    expect(error?.retryable).toBe(false);
    expect(authAttempts).toBe(1);
  });

  it('reports a server that is down as a retryable network error', async () => {
    await server.halt();
    try {
      const { error } = await attempt({});
      expect(error?.code).toBe(SftpErrorCode.network);
      expect(error?.retryable).toBe(true);
    } finally {
      await server.restart();
    }
  });

  it('honours per-destination algorithm overrides, and names a failed negotiation as permanent', async () => {
    const legacy = await attempt({ algorithms: { cipher: ['aes128-ctr'], hmac: ['hmac-sha2-256'] } });
    expect(legacy.result?.outcome).toBe('uploaded');
    const impossible = await attempt({ algorithms: { cipher: ['3des-cbc'] } });
    expect(impossible.error?.code).toBe(SftpErrorCode.handshakeFailed);
    expect(impossible.error?.retryable).toBe(false);
    const unknown = await attempt({ algorithms: { cipher: ['rot13-cbc'] } });
    expect(unknown.error).toMatchObject({ code: SftpErrorCode.handshakeFailed, retryable: false });
    expect((unknown.error?.cause as Error).message).toContain('Unsupported algorithm: rot13-cbc');
  });

  it('never lets a password, private key or passphrase reach an error, on any failure path', async () => {
    const secretPassword = `s3cret-${Math.random().toString(36).slice(2)}`;
    const failures = await Promise.all([
      attempt({ auth: { type: 'password', password: secretPassword } }),
      attempt({
        auth: { type: 'password', password: secretPassword },
        hostKeyFingerprints: [otherFingerprint],
      }),
      attempt({ auth: { type: 'password', password: secretPassword }, hostKeyFingerprints: [] }),
      attempt({ auth: { type: 'keyboard-interactive', password: secretPassword } }),
      attempt({ auth: { type: 'private-key', privateKey: ed25519.privateKey, passphrase: secretPassword } }),
      attempt({ auth: { type: 'private-key', privateKey: ed25519.privateKey } }),
      attempt({
        auth: { type: 'private-key', privateKey: `${rsaPem.privateKey.slice(0, 200)}garbage`, passphrase },
      }),
      attempt({ auth: { type: 'password', password: secretPassword }, path: '/nonexistent/dir' }),
      attempt({ auth: { type: 'password', password: secretPassword }, algorithms: { cipher: ['3des-cbc'] } }),
      attempt({ auth: { type: 'password', password: secretPassword }, port: 1 }),
    ]);
    const keyBody = ed25519.privateKey.split('\n')[1]!;
    const rsaBody = rsaPem.privateKey.split('\n')[1]!;
    for (const { error } of failures) {
      expect(isAppError(error)).toBe(true);
      for (const rendering of [
        JSON.stringify(error),
        inspect(error, { depth: 10, showHidden: true }),
        String(error?.stack),
      ]) {
        expect(rendering).not.toContain(secretPassword);
        expect(rendering).not.toContain(passphrase);
        expect(rendering).not.toContain(keyBody);
        expect(rendering).not.toContain(rsaBody);
        expect(rendering).not.toContain(server.password!);
      }
    }
    expect(new Set(failures.map(({ error }) => error?.code)).size).toBeGreaterThanOrEqual(7);
  });
});
