import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, type SFTPWrapper } from 'ssh2';

import { startOpenSshServer, type OpenSshServer } from './openssh-server.js';
import { generateSshKey, type SshKeyPair } from './ssh-keys.js';

interface Session {
  readonly client: Client;
  readonly sftp: SFTPWrapper;
  readonly seenFingerprint: string;
}

function connect(
  server: OpenSshServer,
  auth: { password: string } | { privateKey: string; passphrase?: string },
): Promise<Session> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    let seenFingerprint = '';
    client.once('error', reject);
    client.once('ready', () => {
      client.sftp((error, sftp) => (error ? reject(error) : resolve({ client, sftp, seenFingerprint })));
    });
    client.connect({
      host: server.host,
      port: server.port,
      username: server.username,
      ...auth,
      hostVerifier: (key: Buffer) => {
        seenFingerprint = `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
        return true;
      },
    });
  });
}

function close(session: Session): Promise<void> {
  return new Promise((resolve) => {
    session.client.once('close', () => resolve());
    session.client.end();
  });
}

describe('startOpenSshServer', () => {
  let key: SshKeyPair;
  let server: OpenSshServer;

  beforeAll(async () => {
    key = await generateSshKey({ type: 'ed25519', passphrase: 'correct horse' });
    server = await startOpenSshServer({ authorizedKeys: [key.publicKey] });
  });
  afterAll(async () => {
    await server.stop();
  });

  it('serves SFTP with password authentication, starting in its root directory', async () => {
    expect(server.password).toEqual(expect.any(String));
    await writeFile(path.join(server.root, 'hello.txt'), 'hello');
    const session = await connect(server, { password: server.password! });
    try {
      const names = await new Promise<string[]>((resolve, reject) =>
        session.sftp.readdir('.', (error, list) =>
          error ? reject(error) : resolve(list.map((entry) => entry.filename)),
        ),
      );
      expect(names).toContain('hello.txt');
    } finally {
      await close(session);
    }
  });

  it('accepts an authorized key and presents the host key whose fingerprint it reports', async () => {
    const session = await connect(server, { privateKey: key.privateKey, passphrase: 'correct horse' });
    await close(session);
    expect(session.seenFingerprint).toBe(server.hostKeyFingerprint);
    expect(server.hostKeyFingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(server.log()).toContain('Accepted publickey');
  });

  it('refuses a wrong password', async () => {
    await expect(connect(server, { password: 'not the password' })).rejects.toThrow(
      /authentication methods failed/,
    );
  });

  it('goes down and comes back on the same port', async () => {
    await server.halt();
    await expect(connect(server, { password: server.password! })).rejects.toThrow(/ECONNREFUSED/);
    await server.restart();
    const session = await connect(server, { password: server.password! });
    await close(session);
    expect(session.seenFingerprint).toBe(server.hostKeyFingerprint);
  });

  it('drops open sessions on request', async () => {
    const session = await connect(server, { password: server.password! });
    const closed = new Promise<void>((resolve) => session.client.once('close', () => resolve()));
    session.client.on('error', () => undefined);
    await server.dropConnections();
    await closed;
    const again = await connect(server, { password: server.password! });
    await close(again);
  });

  it('removes its files when stopped', async () => {
    const other = await startOpenSshServer({
      passwordAuthentication: false,
      authorizedKeys: [key.publicKey],
    });
    const config = await readFile(path.join(other.root, '..', 'sshd_config'), 'utf8');
    expect(config).toContain('PasswordAuthentication no');
    expect(other.password).toBeUndefined();
    await other.stop();
    expect(existsSync(other.root)).toBe(false);
  });
});

describe('startOpenSshServer with a chroot jail', () => {
  let server: OpenSshServer;

  beforeAll(async () => {
    server = await startOpenSshServer({ chroot: true });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('starts sessions in /data, which is `root` on this machine', async () => {
    expect(server.remoteRoot).toBe('/data');
    expect(server.root).toBe(path.join(server.chrootDirectory!, 'data'));
    const session = await connect(server, { password: server.password! });
    try {
      const cwd = await new Promise<string>((resolve, reject) =>
        session.sftp.realpath('.', (error, absolute) => (error ? reject(error) : resolve(absolute))),
      );
      expect(cwd).toBe('/data');
      await new Promise<void>((resolve, reject) =>
        session.sftp.writeFile('/data/in-jail.txt', 'jailed', (error) => (error ? reject(error) : resolve())),
      );
      expect(await readFile(path.join(server.root, 'in-jail.txt'), 'utf8')).toBe('jailed');
    } finally {
      await close(session);
    }
  });

  it('shows the jail as `/`: only `data` in it, and nothing the user may write', async () => {
    const jail = await stat(server.chrootDirectory!);
    expect([jail.uid, jail.mode & 0o777]).toEqual([0, 0o755]);
    const session = await connect(server, { password: server.password! });
    try {
      const names = await new Promise<string[]>((resolve, reject) =>
        session.sftp.readdir('/data/../..', (error, list) =>
          error
            ? reject(error)
            : resolve(list.map((entry) => entry.filename).filter((name) => !name.startsWith('.'))),
        ),
      );
      expect(names).toEqual(['data']);
      await expect(
        new Promise<void>((resolve, reject) =>
          session.sftp.writeFile('/planted.txt', 'x', (error) => (error ? reject(error) : resolve())),
        ),
      ).rejects.toThrow(/denied/i);
      expect(await readdir(server.chrootDirectory!)).toEqual(['data']);
    } finally {
      await close(session);
    }
  });

  it('refuses a base directory sshd would not chroot into, before starting', async () => {
    const before = await readdir(tmpdir());
    await expect(startOpenSshServer({ chroot: true, baseDir: tmpdir() })).rejects.toThrow(
      /must be owned by root and writable by root alone/,
    );
    expect(
      (await readdir(tmpdir())).filter((name) => !before.includes(name) && name.startsWith('bqx-sshd-')),
    ).toEqual([]);
  });
});
