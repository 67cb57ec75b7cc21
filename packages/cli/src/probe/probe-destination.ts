import { createHash, randomBytes } from 'node:crypto';
import path from 'node:path';

import type { Client, KeyboardInteractiveCallback, Prompt } from 'ssh2';
import SftpClient from 'ssh2-sftp-client';

import type { SftpConnection } from '@bq-sftp-export/config';

/** `SHA256:<base64, no padding>` of a raw host key, as `ssh-keygen -lf` prints it. */
export function hostKeyFingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

const normalise = (pin: string): string =>
  pin
    .trim()
    .replace(/^SHA256:/i, '')
    .replace(/=+$/, '');

export interface ProbeCheck {
  readonly name: 'connect' | 'directory' | 'write' | 'rename' | 'verify' | 'delete';
  readonly ok: boolean;
  readonly detail: string;
}

export interface ProbeReport {
  readonly destination: string;
  readonly host: string;
  readonly port: number;
  readonly username: string;
  readonly directory: string;
  /** The key the server presented; `undefined` when no SSH handshake happened. */
  readonly hostKeyFingerprint: string | undefined;
  readonly hostKeyPinned: boolean;
  readonly checks: readonly ProbeCheck[];
  readonly ok: boolean;
}

function authOptions(connection: SftpConnection): SftpClient.ConnectOptions {
  const { credentials } = connection;
  switch (credentials.method) {
    case 'password':
      return { password: credentials.password.reveal() };
    case 'keyboard_interactive':
      return { tryKeyboard: true };
    case 'private_key':
      return {
        privateKey: credentials.privateKey.reveal(),
        ...(credentials.passphrase === undefined ? {} : { passphrase: credentials.passphrase.reveal() }),
      };
  }
}

const describe = (error: unknown): string =>
  // ssh2 messages name the failing step, never credentials.
  error instanceof Error ? error.message.replace(/^\w+: /, '') : String(error);

/**
 * Checks that a destination works as the uploader needs it: the host key is pinned (an unknown
 * key is refused before authentication, and its fingerprint reported), the login works, the
 * target directory exists, and a probe file can be written, renamed (posix-rename where offered),
 * verified and deleted there. The probe files are removed whatever happens.
 */
export async function probeDestination(
  connection: SftpConnection & { readonly name: string },
  options: { readonly readyTimeoutMs?: number } = {},
): Promise<ProbeReport> {
  const checks: ProbeCheck[] = [];
  let presented: string | undefined;
  const pinned = connection.hostKeyFingerprints.map(normalise);
  // Quiet global listeners: the library's defaults print to the console on every disconnect.
  const ignore = (): void => undefined;
  const client = new SftpClient('bq-sftp-probe', { error: ignore, end: ignore, close: ignore });
  if (connection.credentials.method === 'keyboard_interactive') {
    const password = connection.credentials.password;
    // ssh2-sftp-client keeps its ssh2 connection in `client`; its typings leave it out.
    const ssh = (client as unknown as { client: Client }).client;
    ssh.on(
      'keyboard-interactive',
      (
        _name: string,
        _instructions: string,
        _lang: string,
        prompts: Prompt[],
        finish: KeyboardInteractiveCallback,
      ) => finish(prompts.map(() => password.reveal())),
    );
  }
  const report = (): ProbeReport => ({
    destination: connection.name,
    host: connection.host,
    port: connection.port,
    username: connection.username,
    directory: connection.path,
    hostKeyFingerprint: presented,
    hostKeyPinned: presented !== undefined && pinned.includes(normalise(presented)),
    checks,
    ok: checks.length === 6 && checks.every((check) => check.ok),
  });

  try {
    await client.connect({
      host: connection.host,
      port: connection.port,
      username: connection.username,
      readyTimeout: options.readyTimeoutMs ?? 20_000,
      hostVerifier: (key: Buffer) => {
        presented = hostKeyFingerprint(key);
        return pinned.includes(normalise(presented));
      },
      ...authOptions(connection),
    });
  } catch (error) {
    const detail =
      presented !== undefined && !pinned.includes(normalise(presented))
        ? `host key ${presented} is ${pinned.length === 0 ? 'not pinned' : 'not one of the pinned keys'}: refused before authentication` +
          ` (if it is the partner's key, add it to host_key_fingerprints, or SFTP_HOST_KEY_FINGERPRINTS for the seed's sftp block)`
        : describe(error);
    checks.push({ name: 'connect', ok: false, detail });
    return report();
  }

  const token = randomBytes(6).toString('hex');
  const temporary = path.posix.join(connection.path, `.bq-sftp-probe-${token}.part`);
  const final = path.posix.join(connection.path, `.bq-sftp-probe-${token}`);
  const content = Buffer.from(`bq-sftp probe ${token}\n`);
  try {
    checks.push({
      name: 'connect',
      ok: true,
      detail: `logged in as ${connection.username} (${connection.credentials.method})`,
    });
    const steps: [ProbeCheck['name'], () => Promise<string>][] = [
      [
        'directory',
        async () => {
          const stats = await client.stat(connection.path);
          if (!stats.isDirectory) throw new Error(`${connection.path} is not a directory`);
          return `${connection.path} exists`;
        },
      ],
      [
        'write',
        async () => {
          await client.put(content, temporary);
          return `wrote ${temporary} (${content.length} bytes)`;
        },
      ],
      [
        'rename',
        async () => {
          try {
            await client.posixRename(temporary, final);
            return `renamed to ${final} (posix-rename@openssh.com)`;
          } catch {
            await client.rename(temporary, final);
            return `renamed to ${final} (plain rename: the server lacks posix-rename@openssh.com)`;
          }
        },
      ],
      [
        'verify',
        async () => {
          const stats = await client.stat(final);
          if (stats.size !== content.length)
            throw new Error(`${final} has ${stats.size} bytes, expected ${content.length}`);
          return `${final} has the written size`;
        },
      ],
      [
        'delete',
        async () => {
          await client.delete(final);
          return `deleted ${final}`;
        },
      ],
    ];
    for (const [name, work] of steps) {
      try {
        checks.push({ name, ok: true, detail: await work() });
      } catch (error) {
        checks.push({ name, ok: false, detail: describe(error) });
        break;
      }
    }
    return report();
  } finally {
    for (const leftover of [temporary, final]) await client.delete(leftover, true).catch(() => undefined);
    await client.end().catch(() => undefined);
  }
}
