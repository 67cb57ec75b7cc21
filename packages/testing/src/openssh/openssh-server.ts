import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { descendantPids, killQuietly } from './processes.js';
import { createJail, createPlainRoot, defaultJailBaseDir } from './session-root.js';
import { fingerprintOf } from './ssh-keys.js';
import { renderSshdConfig } from './sshd-config.js';
import { ensureTestUser, isRoot } from './test-user.js';

const run = promisify(execFile);
const sshdPath = '/usr/sbin/sshd';

export interface OpenSshServerOptions {
  /** Accept passwords (default: true as root; needs root, since sshd must read /etc/shadow). */
  readonly passwordAuthentication?: boolean;
  /** Accept keyboard-interactive authentication through PAM (default false; needs root). */
  readonly keyboardInteractive?: boolean;
  /** Public keys (`authorized_keys` lines) allowed to log in. */
  readonly authorizedKeys?: readonly string[];
  /** A fixed port; default: a free port chosen at start. */
  readonly port?: number;
  /**
   * Where the server's temporary directory goes (default the OS temp dir, or
   * /var/lib/bq-sftp-export-testing/sshd when chrooted); `/dev/shm` keeps disk speed out of benchmarks.
   */
  readonly baseDir?: string;
  /**
   * Jail every session as partners' servers do (default false; needs root): `ChrootDirectory`
   * on a root-owned directory and `ForceCommand internal-sftp -d /data`, so the client sees `/`
   * as the jail and starts in `/data`. `baseDir` must then be root-owned and writable by root
   * alone up to `/` (not the OS temp dir), as sshd checks before it chroots.
   */
  readonly chroot?: boolean;
  /** More sshd_config lines, e.g. `Ciphers aes128-ctr` to mimic a legacy server. */
  readonly extraConfig?: readonly string[];
}

export interface OpenSshServer {
  readonly host: string;
  readonly port: number;
  /** The host key's fingerprint as OpenSSH prints it: `SHA256:…`. */
  readonly hostKeyFingerprint: string;
  /** The host key as an `authorized_keys`-style line (`ssh-ed25519 AAAA…`). */
  readonly hostPublicKey: string;
  /** The directory SFTP sessions start in (absolute, on this machine): tests read and write it directly. */
  readonly root: string;
  /** The same directory as SFTP clients see it: `root` itself, or `/data` when chrooted. */
  readonly remoteRoot: string;
  /** The local directory that is the clients' `/` when chrooted; undefined without a jail. */
  readonly chrootDirectory: string | undefined;
  readonly username: string;
  /** The user's password; undefined when password authentication is off. */
  readonly password: string | undefined;
  /** sshd's log so far (LogLevel VERBOSE, from `-e`). */
  log(): string;
  /** Kills every open session (the clients see the connection drop); the listener stays up. */
  dropConnections(): Promise<void>;
  /** Suspends every open session (SIGSTOP): the server hangs without closing anything. */
  freezeConnections(): Promise<void>;
  /** Resumes sessions suspended by `freezeConnections`. */
  thawConnections(): Promise<void>;
  /** Stops the listener and every session, keeping the port, keys and files: the server is "down". */
  halt(): Promise<void>;
  /** Starts again on the same port after `halt()` (or restarts a running server). */
  restart(): Promise<void>;
  /** Stops everything and removes the temporary directory. */
  stop(): Promise<void>;
}

/**
 * Runs Debian's real OpenSSH server (`/usr/sbin/sshd -D -e -f <config>`) on 127.0.0.1 with its
 * own ed25519 host key and config in a temporary directory, serving SFTP only (`internal-sftp`,
 * sessions start in `root`, optionally chrooted). Resolves once sshd logs that it is listening.
 */
export async function startOpenSshServer(options: OpenSshServerOptions = {}): Promise<OpenSshServer> {
  const user = await ensureTestUser();
  const passwordAuthentication = options.passwordAuthentication ?? user.password !== undefined;
  const keyboardInteractive = options.keyboardInteractive ?? false;
  if ((passwordAuthentication || keyboardInteractive) && user.password === undefined) {
    throw new Error('password and keyboard-interactive authentication need the tests to run as root');
  }
  const chroot = options.chroot ?? false;
  if (chroot && !isRoot()) throw new Error('a chrooted OpenSSH test server needs the tests to run as root');
  if (isRoot()) await mkdir('/run/sshd', { recursive: true, mode: 0o755 }); // privilege separation dir

  const baseDir = options.baseDir ?? (chroot ? defaultJailBaseDir : tmpdir());
  if (chroot) await mkdir(baseDir, { recursive: true, mode: 0o755 });
  const dir = await mkdtemp(path.join(baseDir, 'bqx-sshd-'));
  await chmod(dir, 0o755);
  const sessionRoot = await (chroot ? createJail(dir, user) : createPlainRoot(dir, user)).catch(
    async (error: unknown) => {
      await rm(dir, { recursive: true, force: true });
      throw error;
    },
  );
  const hostKeyFile = path.join(dir, 'ssh_host_ed25519_key');
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'bqx-test-host', '-f', hostKeyFile]);
  const authorizedKeysFile = path.join(dir, 'authorized_keys');
  await writeFile(
    authorizedKeysFile,
    (options.authorizedKeys ?? []).map((key) => `${key.trim()}\n`).join(''),
    {
      mode: 0o644,
    },
  );
  const configFile = path.join(dir, 'sshd_config');
  const pidFile = path.join(dir, 'sshd.pid');

  const port = options.port ?? (await freePort());
  await writeFile(
    configFile,
    renderSshdConfig({
      port,
      hostKeyFile,
      pidFile,
      authorizedKeysFile,
      username: user.username,
      startDirectory: sessionRoot.remoteRoot,
      chrootDirectory: sessionRoot.chrootDirectory,
      passwordAuthentication,
      keyboardInteractive,
      extraConfig: options.extraConfig ?? [],
    }),
  );

  let log = '';
  let child: ChildProcess | undefined;

  const launch = async (): Promise<void> => {
    const proc = spawn(sshdPath, ['-D', '-e', '-f', configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    child = proc;
    const from = log.length;
    await new Promise<void>((resolve, reject) => {
      const onData = (data: Buffer): void => {
        log += data.toString('utf8');
        if (log.indexOf(`Server listening on 127.0.0.1 port ${port}`, from) !== -1) resolve();
      };
      proc.stderr?.on('data', onData);
      proc.once('error', reject);
      proc.once('exit', (code, signal) =>
        reject(new Error(`sshd exited before listening (code ${code}, signal ${signal}):\n${log}`)),
      );
    });
  };

  const halt = async (): Promise<void> => {
    const proc = child;
    child = undefined;
    if (proc?.pid === undefined || proc.exitCode !== null || proc.signalCode !== null) return;
    const sessions = await descendantPids(proc.pid);
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    killQuietly(proc.pid, 'SIGTERM');
    for (const pid of sessions) killQuietly(pid, 'SIGKILL'); // SIGKILL also ends a frozen (SIGSTOPped) session
    await exited;
  };

  const signalSessions = async (signal: NodeJS.Signals): Promise<void> => {
    const pid = child?.pid;
    if (pid === undefined) return;
    for (const session of await descendantPids(pid)) killQuietly(session, signal);
  };

  try {
    await launch();
  } catch (error) {
    await halt();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }

  return {
    host: '127.0.0.1',
    port,
    hostKeyFingerprint: await fingerprintOf(`${hostKeyFile}.pub`),
    hostPublicKey: (await readFile(`${hostKeyFile}.pub`, 'utf8')).trim(),
    ...sessionRoot,
    username: user.username,
    password: passwordAuthentication || keyboardInteractive ? user.password : undefined,
    log: () => log,
    dropConnections: () => signalSessions('SIGKILL'),
    freezeConnections: () => signalSessions('SIGSTOP'),
    thawConnections: () => signalSessions('SIGCONT'),
    halt,
    restart: async () => {
      await halt();
      await launch();
    },
    stop: async () => {
      await halt();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}
