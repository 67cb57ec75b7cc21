import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client } from 'ssh2';
import SftpClient from 'ssh2-sftp-client';
import { sshFingerprint } from '../host-key/host-key.js';

/** An SFTP server under test, and where its root lives on this machine. */
export interface SftpConformanceTarget {
  readonly host: string;
  readonly port: number;
  readonly username: string;
  readonly password?: string;
  readonly privateKey?: string | Buffer;
  /** Local path of the directory the user lands in (the remote working directory). */
  readonly root: string;
  readonly hostKeyFingerprint: string;
  stop(): Promise<void>;
}

const MiB = 1024 * 1024;
/**
 * The 48 MB test is CPU-bound against the embedded server (pure-JS SSH on both ends of one
 * process): 12 s alone on a shared 2-core machine, 22 s beside another suite and six busy loops,
 * so Jest's 60 s default was one busier machine away from failing it.
 */
const bulkTransferTimeoutMs = 240_000;
/** Bounds the whole connect: `readyTimeout` stops at authentication, not at the SFTP subsystem. */
const defaultConnectTimeoutMs = 30_000;

/**
 * The behaviour the uploader relies on, checked through `ssh2-sftp-client` only, so the same
 * suite runs against the embedded server and a real OpenSSH server. Paths are built from the
 * remote working directory, which must be `target.root`. Each run works in a fresh subdirectory.
 */
export function describeSftpConformance(name: string, getTarget: () => Promise<SftpConformanceTarget>): void {
  describe(`SFTP conformance: ${name}`, () => {
    let target: SftpConformanceTarget;
    let client: SftpClient;
    let outside: string;
    let remoteDir: string;
    let localDir: string;
    const remote = (...parts: string[]): string => path.posix.join(remoteDir, ...parts);
    const local = (...parts: string[]): string => path.join(localDir, ...parts);

    beforeAll(async () => {
      target = await getTarget();
      client = await connect(target);
      const run = `conformance-${randomUUID()}`;
      remoteDir = path.posix.join(await client.cwd(), run);
      localDir = path.join(target.root, run);
      await client.mkdir(remoteDir);
      outside = await mkdtemp(path.join(tmpdir(), 'sftp-outside-'));
      await writeFile(path.join(outside, 'secret.txt'), 'not for the partner');
    });

    afterAll(async () => {
      await client?.end();
      await target?.stop();
      if (outside) await rm(outside, { recursive: true, force: true });
    });

    it('pins the host key: a client expecting another fingerprint is refused', async () => {
      const wrongPin = connect(target, { fingerprint: 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' });
      await expect(wrongPin).rejects.toThrow();
    });

    it('uploads and downloads a small file byte for byte', async () => {
      const content = Buffer.from('id,name\n1,ä\n');
      await client.put(content, remote('small.csv'));
      expect(await download(client, remote('small.csv'))).toEqual(content);
      expect(await readFile(local('small.csv'))).toEqual(content);
    });

    it(
      'uploads and downloads a multi-megabyte file intact (put/get and fastPut/fastGet)',
      async () => {
        const content = randomBytes(12 * MiB + 123);
        await client.put(content, remote('big.bin'));
        expect(sha256(await download(client, remote('big.bin')))).toBe(sha256(content));

        const source = path.join(outside, 'fast-source.bin');
        const copy = path.join(outside, 'fast-copy.bin');
        await writeFile(source, content);
        await client.fastPut(source, remote('fast.bin'));
        await client.fastGet(remote('fast.bin'), copy);
        expect(sha256(await readFile(local('fast.bin')))).toBe(sha256(content));
        expect(sha256(await readFile(copy))).toBe(sha256(content));
      },
      bulkTransferTimeoutMs,
    );

    it('creates nested directories (mkdir -p) and lists them with types and sizes', async () => {
      await client.mkdir(remote('a/b/c'), true);
      await client.put(Buffer.alloc(1000, 7), remote('a/b/c/data.bin'));
      expect((await client.stat(remote('a/b/c'))).isDirectory).toBe(true);

      const listing = await client.list(remote('a/b/c'));
      const entry = listing.find((item) => item.name === 'data.bin');
      expect(entry).toMatchObject({ type: '-', size: 1000 });
      expect((await client.list(remote('a/b'))).map((item) => [item.name, item.type])).toContainEqual([
        'c',
        'd',
      ]);
    });

    it('stats files with their size and kind', async () => {
      await client.put(Buffer.alloc(4321), remote('sized.bin'));
      const stats = await client.stat(remote('sized.bin'));
      expect(stats).toMatchObject({ size: 4321, isFile: true, isDirectory: false });
    });

    it('renames a file to a new name', async () => {
      await client.put(Buffer.from('move me'), remote('before.txt'));
      await client.rename(remote('before.txt'), remote('after.txt'));
      expect(await client.exists(remote('before.txt'))).toBe(false);
      expect((await download(client, remote('after.txt'))).toString()).toBe('move me');
    });

    it('refuses a plain rename onto an existing file and leaves both untouched', async () => {
      await client.put(Buffer.from('new'), remote('plain-new.txt'));
      await client.put(Buffer.from('old'), remote('plain-old.txt'));
      await expect(client.rename(remote('plain-new.txt'), remote('plain-old.txt'))).rejects.toThrow();
      expect(await readFile(local('plain-old.txt'), 'utf8')).toBe('old');
      expect(await readFile(local('plain-new.txt'), 'utf8')).toBe('new');
    });

    it('replaces an existing file atomically with posix-rename@openssh.com', async () => {
      await client.put(Buffer.from('final'), remote('part.tmp'));
      await client.put(Buffer.from('stale'), remote('final.csv'));
      await client.posixRename(remote('part.tmp'), remote('final.csv'));
      expect(await readFile(local('final.csv'), 'utf8')).toBe('final');
      expect(existsSync(local('part.tmp'))).toBe(false);
    });

    it('deletes files and removes directories', async () => {
      await client.mkdir(remote('gone/inner'), true);
      await client.put(Buffer.from('x'), remote('gone/inner/file.txt'));
      await expect(client.rmdir(remote('gone/inner'))).rejects.toThrow();

      await client.delete(remote('gone/inner/file.txt'));
      expect(await client.exists(remote('gone/inner/file.txt'))).toBe(false);
      await client.rmdir(remote('gone/inner'));
      expect(existsSync(local('gone/inner'))).toBe(false);
      await client.rmdir(remote('gone'));
      expect(existsSync(local('gone'))).toBe(false);
    });

    it('fails on missing paths', async () => {
      expect(await client.exists(remote('missing.txt'))).toBe(false);
      await expect(client.get(remote('missing.txt'))).rejects.toThrow();
      await expect(client.stat(remote('missing.txt'))).rejects.toThrow();
      await expect(client.delete(remote('missing.txt'))).rejects.toThrow();
      await expect(client.rename(remote('missing.txt'), remote('other.txt'))).rejects.toThrow();
      await expect(client.put(Buffer.from('x'), remote('no-such-dir/file.txt'))).rejects.toThrow();
      await expect(client.list(remote('no-such-dir'))).rejects.toThrow();
    });

    it('keeps the user inside the root: no way out with `..` or a symbolic link', async () => {
      const climb = `${'../'.repeat(40)}${outside.replace(/^\/+/, '')}/secret.txt`;
      await expect(client.get(remote(climb))).rejects.toThrow();

      await symlink(outside, local('escape'));
      await expect(client.get(remote('escape/secret.txt'))).rejects.toThrow();
      await expect(client.put(Buffer.from('x'), remote('escape/planted.txt'))).rejects.toThrow();
      expect(existsSync(path.join(outside, 'planted.txt'))).toBe(false);
    });
  });
}

/**
 * Connects with the host key pinned to the target's fingerprint (or `fingerprint`). Fails after
 * 30 s (or `timeoutMs`) rather than waiting forever: a server that accepts the login but never starts the SFTP
 * subsystem (OpenSSH refusing its chroot directory) leaves `ssh2-sftp-client` hanging.
 */
export async function connect(
  target: SftpConformanceTarget,
  overrides: {
    fingerprint?: string;
    password?: string;
    privateKey?: string | Buffer;
    timeoutMs?: number;
  } = {},
): Promise<SftpClient> {
  const client = new SftpClient();
  const expected = overrides.fingerprint ?? target.hostKeyFingerprint;
  const password = overrides.password ?? target.password;
  const privateKey = overrides.privateKey ?? target.privateKey;
  const connectTimeoutMs = overrides.timeoutMs ?? defaultConnectTimeoutMs;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () =>
        reject(new Error(`SFTP connect to ${target.host}:${target.port} took over ${connectTimeoutMs} ms`)),
      connectTimeoutMs,
    );
  });
  try {
    await Promise.race([
      client.connect({
        host: target.host,
        port: target.port,
        username: target.username,
        ...(password === undefined ? {} : { password }),
        ...(privateKey === undefined ? {} : { privateKey }),
        hostVerifier: (key: Buffer) => sshFingerprint(key) === expected,
        readyTimeout: connectTimeoutMs,
      }),
      timedOut,
    ]);
  } catch (error) {
    // `end()` only closes a connection whose SFTP channel is open; drop the socket in any case.
    await client.end().catch(() => undefined);
    (client as unknown as { client: Client }).client.destroy();
    throw error;
  } finally {
    clearTimeout(timer);
  }
  return client;
}

async function download(client: SftpClient, remotePath: string): Promise<Buffer> {
  const content = await client.get(remotePath);
  if (!Buffer.isBuffer(content)) throw new Error(`expected a Buffer from get(${remotePath})`);
  return content;
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
