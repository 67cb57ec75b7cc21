import { describe, expect, it } from '@jest/globals';

import type { Secret, SftpConnection } from '@bq-sftp-export/config';

import { isInsideDirectory, sftpDestinationOf } from './destination-from-config.js';

const pin = `SHA256:${'c'.repeat(43)}`;

/** What `resolveSftpConnection` hands over: secrets that only `reveal()` shows. */
function secret(value: string): Secret {
  return { source: 'TEST', reveal: () => value } as unknown as Secret;
}

function connection(overrides: Partial<SftpConnection> = {}): SftpConnection {
  return {
    name: 'default',
    host: 'sftp.example.com',
    port: 40022,
    username: 'verite',
    credentials: { method: 'password', password: secret('pw') },
    hostKeyFingerprints: [pin],
    path: '/To_Verite',
    tempName: '.{name}.part',
    collision: 'fail',
    createDirectory: false,
    fileMode: 0o600,
    ...overrides,
  };
}
const place = { remoteDirectory: '/To_Verite/2026', runId: 'run-7' };

describe('sftpDestinationOf', () => {
  it("maps a password destination into the event's directory", () => {
    expect(sftpDestinationOf(connection(), place)).toEqual({
      host: 'sftp.example.com',
      port: 40022,
      username: 'verite',
      auth: { type: 'password', password: 'pw' },
      hostKeyFingerprints: [pin],
      path: '/To_Verite/2026',
      tempNamePattern: '.{name}.part',
      collisionPolicy: 'skip-if-identical',
      createDirectory: false,
      fileMode: 0o600,
    });
  });

  it('maps a private key with passphrase, renders {run_id} in the temporary name and keeps overwrite', () => {
    const destination = sftpDestinationOf(
      connection({
        credentials: { method: 'private_key', privateKey: secret('KEY'), passphrase: secret('pp') },
        tempName: '.{name}.{run_id}.tmp',
        collision: 'overwrite',
        createDirectory: true,
      }),
      place,
    );
    expect(destination).toMatchObject({
      auth: { type: 'private-key', privateKey: 'KEY', passphrase: 'pp' },
      tempNamePattern: '.{name}.run-7.tmp',
      collisionPolicy: 'overwrite',
      createDirectory: true,
    });
    expect(
      sftpDestinationOf(
        connection({ credentials: { method: 'private_key', privateKey: secret('K') } }),
        place,
      ).auth,
    ).toEqual({ type: 'private-key', privateKey: 'K' });
  });

  it('maps keyboard-interactive auth and skip_if_identical', () => {
    const destination = sftpDestinationOf(
      connection({
        credentials: { method: 'keyboard_interactive', password: secret('kbd') },
        collision: 'skip_if_identical',
      }),
      place,
    );
    expect(destination.auth).toEqual({ type: 'keyboard-interactive', password: 'kbd' });
    expect(destination.collisionPolicy).toBe('skip-if-identical');
  });
});

describe('isInsideDirectory', () => {
  it.each([
    ['/To_Verite', '/To_Verite'],
    ['/To_Verite/', '/To_Verite'],
    ['/To_Verite/2026', '/To_Verite/'],
    ['/To_Verite//./2026', '/To_Verite'],
    ['/x', '/'],
    ['in/2026', 'in'],
  ])('%s is inside %s', (directory, base) => {
    expect(isInsideDirectory(directory, base)).toBe(true);
  });

  it.each([
    ['/elsewhere', '/To_Verite'],
    ['/To_Verite_2', '/To_Verite'],
    ['/', '/To_Verite'],
    ['To_Verite', '/To_Verite'],
    ['/To_Verite/../etc', '/To_Verite'],
  ])('%s is not inside %s', (directory, base) => {
    expect(isInsideDirectory(directory, base)).toBe(false);
  });
});
