import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The dedicated system account the OpenSSH test server logs in (created when running as root). */
export const testUserName = 'bqx-sftp-test';
const stateDir = '/var/lib/bq-sftp-export-testing';
const passwordFile = path.join(stateDir, 'password');

export interface TestUser {
  readonly username: string;
  readonly uid: number;
  readonly gid: number;
  /** Undefined when not running as root: sshd cannot check passwords then. */
  readonly password: string | undefined;
}

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/**
 * The account the test server authenticates.
 *
 * As root: a dedicated system user `bqx-sftp-test` (no home, shell `/usr/sbin/nologin`), created
 * once and idempotently, whose random password lives in a root-only file under
 * /var/lib/bq-sftp-export-testing. The password is created once with an atomic `link()`, so
 * concurrent test processes agree on it instead of resetting each other's password.
 * Not root: the current user, key authentication only (an unprivileged sshd cannot read
 * /etc/shadow).
 */
export async function ensureTestUser(): Promise<TestUser> {
  if (!isRoot()) {
    const me = userInfo();
    return { username: me.username, uid: me.uid, gid: me.gid, password: undefined };
  }
  let ids = await lookupUser(testUserName);
  if (ids === undefined) {
    await run('useradd', [
      '--system',
      '--no-create-home',
      '--home-dir',
      '/nonexistent',
      '--shell',
      '/usr/sbin/nologin',
      testUserName,
    ]).catch(async (error: unknown) => {
      // A concurrent process may have created it first.
      if ((await lookupUser(testUserName)) === undefined) throw error;
    });
    ids = await lookupUser(testUserName);
    if (ids === undefined) throw new Error(`useradd did not create ${testUserName}`);
  }
  const { password, created } = await sharedPassword();
  if (created || !(await hasPassword(testUserName))) {
    await new Promise<void>((resolve, reject) => {
      const child = execFile('chpasswd', (error) =>
        error ? reject(new Error('chpasswd failed', { cause: error })) : resolve(),
      );
      child.stdin?.end(`${testUserName}:${password}\n`);
    });
  }
  return { username: testUserName, ...ids, password };
}

async function lookupUser(name: string): Promise<{ uid: number; gid: number } | undefined> {
  const passwd = await readFile('/etc/passwd', 'utf8');
  const line = passwd.split('\n').find((entry) => entry.startsWith(`${name}:`));
  if (line === undefined) return undefined;
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

async function hasPassword(name: string): Promise<boolean> {
  const shadow = await readFile('/etc/shadow', 'utf8');
  const hash =
    shadow
      .split('\n')
      .find((entry) => entry.startsWith(`${name}:`))
      ?.split(':')[1] ?? '';
  return hash.startsWith('$');
}

async function sharedPassword(): Promise<{ password: string; created: boolean }> {
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  try {
    return { password: (await readFile(passwordFile, 'utf8')).trim(), created: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const candidate = randomBytes(24).toString('base64url');
  const draft = `${passwordFile}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await writeFile(draft, `${candidate}\n`, { mode: 0o600 });
  try {
    await link(draft, passwordFile);
    return { password: candidate, created: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return { password: (await readFile(passwordFile, 'utf8')).trim(), created: false };
  } finally {
    await rm(draft, { force: true });
  }
}
