// ssh2 is CommonJS and Node cannot see its named exports from ESM: take the namespace object.
import ssh2, { type AnyAuthMethod, type ParsedKey } from 'ssh2';

import type { SftpAuth } from './sftp-destination.js';
import { SftpErrorCode, sftpError } from './sftp-errors.js';

/** The secret strings of an auth config: scrubbed from every error message. */
export function secretsOf(auth: SftpAuth): string[] {
  switch (auth.type) {
    case 'password':
    case 'keyboard-interactive':
      return [auth.password];
    case 'private-key':
      return [auth.privateKey, ...(auth.passphrase === undefined ? [] : [auth.passphrase])];
  }
}

/**
 * The ssh2 auth method for a destination. A private key is parsed (and decrypted) here, before
 * any connection, so a missing or wrong passphrase is a clear permanent error rather than an
 * "all authentication methods failed" from the server.
 */
export function authMethodFor(auth: SftpAuth, username: string): AnyAuthMethod {
  switch (auth.type) {
    case 'password':
      return { type: 'password', username, password: auth.password };
    case 'keyboard-interactive':
      return {
        type: 'keyboard-interactive',
        username,
        prompt: (_name, _instructions, _lang, prompts, finish) => finish(prompts.map(() => auth.password)),
      };
    case 'private-key': {
      const parsed = ssh2.utils.parseKey(auth.privateKey, auth.passphrase);
      if (parsed instanceof Error) throw keyError(parsed.message, auth.passphrase !== undefined);
      const key = Array.isArray(parsed) ? (parsed[0] as ParsedKey | undefined) : parsed;
      if (key === undefined || !key.isPrivateKey()) {
        throw sftpError(SftpErrorCode.keyInvalid, 'the configured private key holds no private key');
      }
      return { type: 'publickey', username, key };
    }
  }
}

function keyError(message: string, passphraseGiven: boolean) {
  if (/no passphrase given/i.test(message)) {
    return sftpError(
      SftpErrorCode.keyPassphraseMissing,
      'the private key is encrypted and no passphrase is configured',
    );
  }
  if (passphraseGiven && /passphrase|integrity check failed|bad decrypt/i.test(message)) {
    return sftpError(SftpErrorCode.keyPassphraseWrong, 'the private key passphrase is wrong');
  }
  // ssh2's parse messages name formats and algorithms, never key material.
  return sftpError(SftpErrorCode.keyInvalid, `the private key cannot be used: ${message}`);
}
