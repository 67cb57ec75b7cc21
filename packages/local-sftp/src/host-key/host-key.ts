import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ParsedKey } from 'ssh2';
import ssh2 from 'ssh2';

/** Parses an SSH private or public key (PEM or OpenSSH format), throwing on a malformed one. */
export function parseSshKey(key: string | Buffer): ParsedKey {
  const parsed = ssh2.utils.parseKey(key);
  if (parsed instanceof Error) throw new Error(`not a usable SSH key: ${parsed.message}`, { cause: parsed });
  return parsed;
}

/**
 * The key's fingerprint as OpenSSH prints it: `SHA256:` and the unpadded base64 of the SHA-256
 * of the public key in wire format. Accepts a key (private or public) or a raw public-key blob,
 * which is what ssh2's `hostVerifier` receives.
 */
export function sshFingerprint(key: string | Buffer | ParsedKey): string {
  const blob = Buffer.isBuffer(key) && isWireBlob(key) ? key : toParsed(key).getPublicSSH();
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/**
 * An Ed25519 key pair in OpenSSH format that ssh2 can read back. ssh2 1.17's generator strips
 * leading zero bytes off the public key, so about one key in 256 is unparseable ("Malformed
 * OpenSSH private key", mscdex/ssh2#1513): such a pair is drawn again.
 */
export function generateEd25519KeyPair(): { readonly private: string; readonly public: string } {
  for (let attempt = 1; ; attempt++) {
    const pair = ssh2.utils.generateKeyPairSync('ed25519');
    const usable =
      !(ssh2.utils.parseKey(pair.private) instanceof Error) &&
      !(ssh2.utils.parseKey(pair.public) instanceof Error);
    if (usable) return pair;
    if (attempt === 16) throw new Error('ssh2 could not generate a readable Ed25519 key in 16 tries');
  }
}

/** Reads the host key at `file`, or generates an Ed25519 key there (mode 0600) on first use. */
export async function loadOrCreateHostKey(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const { private: privateKey } = generateEd25519KeyPair();
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, privateKey, { mode: 0o600, flag: 'wx' }).catch((error: unknown) => {
    // Another process created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  });
  return readFile(file, 'utf8');
}

function toParsed(key: string | Buffer | ParsedKey): ParsedKey {
  return typeof key === 'string' || Buffer.isBuffer(key) ? parseSshKey(key) : key;
}

/** A wire-format public key starts with a length-prefixed algorithm name such as `ssh-ed25519`. */
function isWireBlob(buffer: Buffer): boolean {
  if (buffer.length < 8) return false;
  const nameLength = buffer.readUInt32BE(0);
  return (
    nameLength > 0 && nameLength < 64 && /^[a-z0-9@.-]+$/.test(buffer.toString('latin1', 4, 4 + nameLength))
  );
}
