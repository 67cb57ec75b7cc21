import { chown, mkdir, stat } from 'node:fs/promises';
import path from 'node:path';

import type { TestUser } from './test-user.js';

/**
 * Where a jailed server's temporary directory goes unless told otherwise. sshd only chroots into
 * a directory whose every path component is root-owned and writable by root alone, which rules
 * out the world-writable OS temp dir.
 */
export const defaultJailBaseDir = '/var/lib/bq-sftp-export-testing/sshd';

/** Where SFTP sessions start: on this machine, as the client sees it, and the chroot if any. */
export interface SessionRoot {
  /** Local path of the directory sessions start in, owned by the test user. */
  readonly root: string;
  /** The same directory as the client sees it. */
  readonly remoteRoot: string;
  /** Local path of the client's `/` when sessions are jailed. */
  readonly chrootDirectory: string | undefined;
}

/** `<dir>/root`, owned by the test user; sessions start there and see the whole machine. */
export async function createPlainRoot(dir: string, user: TestUser): Promise<SessionRoot> {
  const root = path.join(dir, 'root');
  await mkdir(root);
  await chown(root, user.uid, user.gid);
  return { root, remoteRoot: root, chrootDirectory: undefined };
}

/**
 * A chroot jail `<dir>/jail` (root-owned, 0755, as sshd demands) holding `data`, owned by the
 * test user: sessions start in `/data` and cannot see anything outside the jail.
 */
export async function createJail(dir: string, user: TestUser): Promise<SessionRoot> {
  const jail = path.join(dir, 'jail');
  await mkdir(jail, { mode: 0o755 });
  await assertChrootable(jail);
  const root = path.join(jail, 'data');
  await mkdir(root);
  await chown(root, user.uid, user.gid);
  return { root, remoteRoot: '/data', chrootDirectory: jail };
}

/**
 * Fails fast where sshd would refuse the chroot: it accepts the login and only then drops the
 * session, which leaves an SFTP client waiting instead of failing.
 */
export async function assertChrootable(dir: string): Promise<void> {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    const info = await stat(current);
    if (info.uid !== 0 || (info.mode & 0o022) !== 0) {
      throw new Error(
        `sshd cannot chroot into ${dir}: ${current} (owner uid ${info.uid}, mode ` +
          `${(info.mode & 0o7777).toString(8)}) must be owned by root and writable by root alone; ` +
          `choose another baseDir`,
      );
    }
    if (current === path.dirname(current)) return;
  }
}
