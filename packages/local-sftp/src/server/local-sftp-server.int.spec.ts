import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import ssh2 from 'ssh2';
import type SftpClient from 'ssh2-sftp-client';
import { connect, type SftpConformanceTarget } from '../testing/sftp-conformance.js';
import type { LocalSftp } from './local-sftp-options.js';
import { generateEd25519KeyPair } from '../host-key/host-key.js';
import { startLocalSftp } from './start-local-sftp.js';

const { STATUS_CODE } = ssh2.utils.sftp;
const MiB = 1024 * 1024;

describe('startLocalSftp', () => {
  const userKey = generateEd25519KeyPair();
  const strangerKey = generateEd25519KeyPair();
  let base: string;
  let root: string;
  let server: LocalSftp;
  let target: SftpConformanceTarget;
  const clients: SftpClient[] = [];
  const open = async (overrides: Parameters<typeof connect>[1] = {}): Promise<SftpClient> => {
    const client = await connect(target, overrides);
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    base = await mkdtemp(path.join(tmpdir(), 'local-sftp-'));
    root = path.join(base, 'root');
    await writeFile(path.join(base, 'secret.txt'), 'outside');
    await mkdir(root);
    server = await startLocalSftp({
      root,
      users: [
        { username: 'by-password', password: 'right' },
        { username: 'by-key', publicKeys: [userKey.public] },
      ],
    });
    target = { ...server, username: 'by-password', password: 'right', root };
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.end()));
    await server?.stop();
    await rm(base, { recursive: true, force: true });
  });

  it('prints an OpenSSH-style fingerprint and listens on loopback', () => {
    expect(server.hostKeyFingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(server.host).toBe('127.0.0.1');
    expect(server.port).toBeGreaterThan(0);
  });

  it('keeps a host key it is given, so the fingerprint survives restarts', async () => {
    const hostKey = generateEd25519KeyPair().private;
    const first = await startLocalSftp({ root, users: [], hostKey });
    await first.stop();
    const second = await startLocalSftp({ root, users: [], hostKey });
    await second.stop();
    expect(second.hostKeyFingerprint).toBe(first.hostKeyFingerprint);
  });

  it('accepts the right password and refuses a wrong one', async () => {
    await expect(open()).resolves.toBeDefined();
    await expect(open({ password: 'wrong' })).rejects.toThrow(/authentication/i);
    await expect(connect({ ...target, username: 'nobody' })).rejects.toThrow(/authentication/i);
  });

  it('accepts a registered public key and refuses an unknown one', async () => {
    const { password: _password, ...withoutPassword } = target;
    const keyTarget: SftpConformanceTarget = { ...withoutPassword, username: 'by-key' };
    const client = await connect(keyTarget, { privateKey: userKey.private });
    clients.push(client);
    expect(await client.cwd()).toBe('/');
    await expect(connect(keyTarget, { privateKey: strangerKey.private })).rejects.toThrow(/authentication/i);
    await expect(connect(keyTarget, { password: 'right' })).rejects.toThrow(/authentication/i);
  });

  it('answers with the SFTP status codes OpenSSH uses', async () => {
    const client = await open();
    const sftp = (client as unknown as { sftp: ssh2.SFTPWrapper }).sftp;
    const statusOf = (call: (done: (error: unknown) => void) => void): Promise<unknown> =>
      new Promise((resolve) =>
        call((error) => resolve((error as { code?: unknown } | undefined)?.code ?? 0)),
      );

    await writeFile(path.join(root, 'a.txt'), 'a');
    await writeFile(path.join(root, 'b.txt'), 'b');
    await symlink(path.join(base, 'secret.txt'), path.join(root, 'leak'));
    expect(await statusOf((done) => sftp.stat('/missing', done))).toBe(STATUS_CODE.NO_SUCH_FILE);
    expect(await statusOf((done) => sftp.stat('/../secret.txt', done))).toBe(STATUS_CODE.PERMISSION_DENIED);
    expect(await statusOf((done) => sftp.stat('/leak', done))).toBe(STATUS_CODE.PERMISSION_DENIED);
    expect(await statusOf((done) => sftp.rename('/a.txt', '/b.txt', done))).toBe(STATUS_CODE.FAILURE);
    expect(await statusOf((done) => sftp.mkdir('/a.txt', done))).toBe(STATUS_CODE.FAILURE);
    expect(await statusOf((done) => sftp.rmdir('/', done))).toBe(STATUS_CODE.PERMISSION_DENIED);
    expect(await statusOf((done) => sftp.ext_openssh_rename('/a.txt', '/b.txt', done))).toBe(STATUS_CODE.OK);
  });

  it('announces limits@openssh.com, so ssh2 clients write 255 KiB per request as with OpenSSH', async () => {
    const client = await open();
    const sftp = (client as unknown as { sftp: { _maxWriteLen: number; _maxReadLen: number } }).sftp;
    expect(sftp._maxWriteLen).toBe(255 * 1024);
    expect(sftp._maxReadLen).toBe(255 * 1024);
  });

  it('ends the session when OpenSSH `sftp -b` finishes its batch (it hung until killed)', async () => {
    const keyFile = path.join(base, 'user_key');
    await writeFile(keyFile, userKey.private, { mode: 0o600 });
    const batch = path.join(base, 'batch.txt');
    await writeFile(path.join(base, 'batch-upload.txt'), 'from sftp -b\n');
    await writeFile(batch, `put ${path.join(base, 'batch-upload.txt')} /batch-upload.txt\nls /\n`);
    const result = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; err: string }>(
      (resolve) => {
        const child = spawn(
          'sftp',
          [
            '-b',
            batch,
            '-i',
            keyFile,
            '-P',
            String(server.port),
            '-o',
            'StrictHostKeyChecking=no',
            '-o',
            'UserKnownHostsFile=/dev/null',
            '-o',
            'BatchMode=yes',
            `by-key@${server.host}`,
          ],
          // Its own process group: a hung sftp is killed together with the ssh it started.
          { stdio: ['ignore', 'ignore', 'pipe'], detached: true },
        );
        let err = '';
        child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
        const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 15_000);
        child.on('exit', (code, signal) => {
          clearTimeout(timer);
          resolve({ code, signal, err });
        });
      },
    );
    expect({ code: result.code, signal: result.signal }).toEqual({ code: 0, signal: null });
    expect(await readFile(path.join(root, 'batch-upload.txt'), 'utf8')).toBe('from sftp -b\n');
  }, 30_000);

  it('receives a 200 MB fastPut intact', async () => {
    const source = path.join(base, 'large.bin');
    await pipeline(Readable.from(generated(200 * MiB)), createWriteStream(source));
    const client = await open();
    await client.fastPut(source, '/large.bin', { concurrency: 64, chunkSize: 255 * 1024 });
    expect((await stat(path.join(root, 'large.bin'))).size).toBe(200 * MiB);
    expect(await sha256Of(path.join(root, 'large.bin'))).toBe(await sha256Of(source));
  }, 300_000);
});

/** Deterministic pseudo-random bytes, generated in 1 MiB blocks. */
function* generated(size: number): Generator<Buffer> {
  let seed = 0x9e3779b9;
  for (let done = 0; done < size; done += MiB) {
    const block = Buffer.allocUnsafe(Math.min(MiB, size - done));
    for (let offset = 0; offset + 4 <= block.length; offset += 4) {
      seed = (seed ^ (seed << 13)) >>> 0;
      seed = (seed ^ (seed >>> 17)) >>> 0;
      seed = (seed ^ (seed << 5)) >>> 0;
      block.writeUInt32LE(seed, offset);
    }
    yield block;
  }
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}
