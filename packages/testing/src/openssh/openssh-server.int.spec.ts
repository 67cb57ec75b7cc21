import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
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
