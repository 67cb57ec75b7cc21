import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export type SshKeyType = 'ed25519' | 'rsa' | 'ecdsa';

export interface SshKeyOptions {
  readonly type: SshKeyType;
  /** Encrypts the private key; empty or absent means unencrypted. */
  readonly passphrase?: string;
  /** `openssh` (the default, `-----BEGIN OPENSSH PRIVATE KEY-----`) or `pem` (PKCS#1/SEC1, RSA and ECDSA only). */
  readonly format?: 'openssh' | 'pem';
  /** Key size in bits (RSA defaults to 2048 to keep tests fast). */
  readonly bits?: number;
}

export interface SshKeyPair {
  readonly type: SshKeyType;
  /** The private key file's text. */
  readonly privateKey: string;
  /** One `authorized_keys` line: `<algorithm> <base64> <comment>`. */
  readonly publicKey: string;
  /** `SHA256:…` as `ssh-keygen -l` prints it. */
  readonly fingerprint: string;
}

/** Generates a key pair with OpenSSH's own `ssh-keygen`, so keys are exactly what users bring. */
export async function generateSshKey(options: SshKeyOptions): Promise<SshKeyPair> {
  const dir = await mkdtemp(path.join(tmpdir(), 'bqx-key-'));
  try {
    const file = path.join(dir, 'key');
    const args = ['-q', '-t', options.type, '-N', options.passphrase ?? '', '-C', 'bqx-test', '-f', file];
    if (options.type === 'rsa') args.push('-b', String(options.bits ?? 2048));
    else if (options.bits !== undefined) args.push('-b', String(options.bits));
    if (options.format === 'pem') args.push('-m', 'PEM');
    await run('ssh-keygen', args);
    const [privateKey, publicKey] = await Promise.all([
      readFile(file, 'utf8'),
      readFile(`${file}.pub`, 'utf8'),
    ]);
    return {
      type: options.type,
      privateKey,
      publicKey: publicKey.trim(),
      fingerprint: await fingerprintOf(`${file}.pub`),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** `SHA256:…` fingerprint of a public key file, as OpenSSH prints it. */
export async function fingerprintOf(publicKeyFile: string): Promise<string> {
  const { stdout } = await run('ssh-keygen', ['-l', '-E', 'sha256', '-f', publicKeyFile]);
  const fingerprint = stdout.split(' ')[1];
  if (fingerprint === undefined || !fingerprint.startsWith('SHA256:')) {
    throw new Error(`ssh-keygen printed no SHA256 fingerprint for ${publicKeyFile}`);
  }
  return fingerprint;
}
