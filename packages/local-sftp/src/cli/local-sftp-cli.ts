import { mkdir, readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadOrCreateHostKey } from '../host-key/host-key.js';
import type { LocalSftp, LocalSftpOptions, LocalSftpUser } from '../server/local-sftp-options.js';
import { startLocalSftp } from '../server/start-local-sftp.js';

export const usage = `Usage: local-sftp --root <dir> [--port <n>] [--host <addr>] [--host-key-file <file>]
                  [--user <name>:<password>]... [--user-key <name>:<public key file>]...
Serves <dir> over SFTP on loopback. --host-key-file keeps the host key (created on first use),
so clients can pin its fingerprint across restarts. Prints host, port and fingerprint.`;

/** Turns the command line into server options, reading key files. Throws with a readable message. */
export async function parseCli(argv: readonly string[]): Promise<LocalSftpOptions> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      root: { type: 'string' },
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      'host-key-file': { type: 'string' },
      user: { type: 'string', multiple: true, default: [] },
      'user-key': { type: 'string', multiple: true, default: [] },
    },
    strict: true,
  });
  if (!values.root) throw new Error('--root is required');
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new Error(`--port must be 0-65535: ${values.port}`);

  const users = new Map<string, { password?: string; publicKeys: string[] }>();
  const account = (name: string) => users.get(name) ?? users.set(name, { publicKeys: [] }).get(name)!;
  for (const entry of values.user) {
    const [name, password] = splitPair(entry, '--user');
    account(name).password = password;
  }
  for (const entry of values['user-key']) {
    const [name, file] = splitPair(entry, '--user-key');
    account(name).publicKeys.push((await readFile(file, 'utf8')).trim());
  }
  if (users.size === 0) throw new Error('at least one --user or --user-key is required');

  return {
    root: values.root,
    port,
    host: values.host,
    users: [...users].map(([username, credentials]): LocalSftpUser => ({ username, ...credentials })),
    ...(values['host-key-file'] ? { hostKey: await loadOrCreateHostKey(values['host-key-file']) } : {}),
  };
}

/** Starts the server from the command line and prints where it listens (`key=value` lines). */
export async function runCli(argv: readonly string[], print: (line: string) => void): Promise<LocalSftp> {
  const options = await parseCli(argv);
  await mkdir(options.root, { recursive: true });
  const server = await startLocalSftp(options);
  print(`local-sftp: serving ${options.root} to ${options.users.map((user) => user.username).join(', ')}`);
  print(`host=${server.host}`);
  print(`port=${server.port}`);
  print(`fingerprint=${server.hostKeyFingerprint}`);
  return server;
}

function splitPair(entry: string, flag: string): [string, string] {
  const separator = entry.indexOf(':');
  if (separator <= 0 || separator === entry.length - 1)
    throw new Error(`${flag} expects <name>:<value>, got "${entry}"`);
  return [entry.slice(0, separator), entry.slice(separator + 1)];
}
