import { createHash, timingSafeEqual } from 'node:crypto';
import type { AuthContext, ParsedKey } from 'ssh2';
import { parseSshKey } from '../host-key/host-key.js';
import type { LocalSftpUser } from './local-sftp-options.js';

interface Account {
  readonly passwordDigest?: Buffer;
  readonly keys: readonly ParsedKey[];
}

/** Checks password and public-key logins against the configured users; everything else is refused. */
export class Authenticator {
  private readonly accounts: ReadonlyMap<string, Account>;

  constructor(users: readonly LocalSftpUser[]) {
    this.accounts = new Map(
      users.map((user) => [
        user.username,
        {
          ...(user.password === undefined ? {} : { passwordDigest: digest(user.password) }),
          keys: (user.publicKeys ?? []).map((key) => parseSshKey(key)),
        },
      ]),
    );
  }

  handle(context: AuthContext): void {
    const account = this.accounts.get(context.username);
    if (context.method === 'password' && account?.passwordDigest) {
      if (timingSafeEqual(digest(context.password), account.passwordDigest)) return context.accept();
    } else if (context.method === 'publickey' && account) {
      const key = account.keys.find((candidate) => candidate.getPublicSSH().equals(context.key.data));
      if (key) {
        // Without a signature the client only asks whether the key would do.
        if (!context.signature || !context.blob) return context.accept();
        if (key.verify(context.blob, context.signature, context.hashAlgo)) return context.accept();
      }
    }
    context.reject(['password', 'publickey']);
  }
}

function digest(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}
