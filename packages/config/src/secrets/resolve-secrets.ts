import { AppError } from '@bq-sftp-export/runtime';

import type { Environment } from '../env/environment.js';
import type { DestinationSpec, EmailSettings, ExportConfig, PgpSpec } from '../resolve/export-config.js';
import { DEFAULT_DESTINATION } from '../resolve/resolve-export-config.js';
import type { Secret } from './secret.js';

export const SECRETS_MISSING = 'SECRETS_MISSING';

export type SftpCredentials =
  | { readonly method: 'password'; readonly password: Secret }
  | { readonly method: 'private_key'; readonly privateKey: Secret; readonly passphrase?: Secret }
  | { readonly method: 'keyboard_interactive'; readonly password: Secret };

/** Everything the uploader needs to reach one destination, secrets included (redacted when printed). */
export interface SftpConnection extends Omit<DestinationSpec, 'host' | 'username' | 'auth' | 'pgp'> {
  readonly host: string;
  readonly username: string;
  readonly credentials: SftpCredentials;
  /** The destination's `pgp` block with its keys read; absent: files go as staged. */
  readonly pgp?: PgpMaterial;
}

/** OpenPGP keys as text (still unparsed: the uploader checks them), each with its config field. */
export interface PgpMaterial {
  readonly recipients: readonly { readonly field: string; readonly armoredKey: string }[];
  readonly signing?: { readonly field: string; readonly privateKey: Secret; readonly passphrase?: Secret };
  readonly armor: boolean;
  readonly fileSuffix: string;
}

export interface NotificationSecrets {
  readonly email?: { readonly settings: EmailSettings; readonly password?: Secret };
  readonly slack?: { readonly webhookUrl: Secret };
}

class Problems {
  readonly list: string[] = [];
  secret(environment: Environment, variable: string, use: string): Secret | undefined {
    const secret = environment.secrets.get(variable);
    if (secret === undefined) this.list.push(`${variable} (${use})`);
    return secret;
  }
  value<T>(value: T | undefined, what: string): T | undefined {
    if (value === undefined) this.list.push(what);
    return value;
  }
  throwIfAny(scope: string): void {
    if (this.list.length > 0) {
      throw new AppError(`${scope}: missing ${this.list.join(', ')}`, {
        code: SECRETS_MISSING,
        retryable: false,
        details: { missing: [...this.list] },
      });
    }
  }
}

/**
 * The connection settings and credentials of a destination. The seed's block takes host,
 * username and host-key pins from `SFTP_HOST`, `SFTP_USERNAME`, `SFTP_HOST_KEY_FINGERPRINTS`
 * when the config leaves them out; `SFTP_PORT`, when set, overrides its `port` (the seed's file
 * says 22, local and test servers listen elsewhere). Throws `SECRETS_MISSING` naming every
 * missing variable.
 */
export function resolveSftpConnection(
  config: ExportConfig,
  destination: string,
  environment: Environment,
): SftpConnection {
  const spec = config.destinations[destination];
  if (spec === undefined) {
    throw new AppError(`config "${config.name}" has no destination "${destination}"`, {
      code: 'DESTINATION_UNKNOWN',
      retryable: false,
    });
  }
  const seed = destination === DEFAULT_DESTINATION;
  const problems = new Problems();
  const scope = `destination "${destination}"`;
  const host = problems.value(
    spec.host ?? (seed ? environment.sftpHost : undefined),
    'SFTP_HOST (sftp.host)',
  );
  const username = problems.value(
    spec.username ?? (seed ? environment.sftpUsername : undefined),
    'SFTP_USERNAME (sftp.username)',
  );
  const { auth } = spec;
  let credentials: SftpCredentials | undefined;
  if (auth.method === 'private_key') {
    const privateKey = problems.secret(environment, auth.private_key_env, 'private key');
    const passphrase =
      auth.passphrase_env === undefined
        ? undefined
        : problems.secret(environment, auth.passphrase_env, 'passphrase');
    if (privateKey !== undefined) {
      credentials = {
        method: 'private_key',
        privateKey,
        ...(passphrase === undefined ? {} : { passphrase }),
      };
    }
  } else {
    const password = problems.secret(environment, auth.password_env, 'password');
    if (password !== undefined) credentials = { method: auth.method, password };
  }
  const pgp = spec.pgp === undefined ? undefined : pgpMaterial(spec.pgp, environment, problems);
  problems.throwIfAny(scope);
  const { host: _host, username: _username, auth: _auth, pgp: _pgp, ...rest } = spec;
  const pins =
    rest.hostKeyFingerprints.length > 0 || !seed
      ? rest.hostKeyFingerprints
      : environment.sftpHostKeyFingerprints;
  return Object.freeze({
    ...rest,
    port: (seed ? environment.sftpPort : undefined) ?? rest.port,
    hostKeyFingerprints: pins ?? [],
    host: host!,
    username: username!,
    credentials: credentials!,
    ...(pgp === undefined ? {} : { pgp }),
  });
}

function pgpMaterial(spec: PgpSpec, environment: Environment, problems: Problems): PgpMaterial {
  const recipients = spec.recipients.flatMap((recipient) => {
    if ('publicKey' in recipient) return [{ field: recipient.field, armoredKey: recipient.publicKey }];
    const key = problems.secret(environment, recipient.publicKeyEnv, 'PGP public key');
    return key === undefined ? [] : [{ field: recipient.field, armoredKey: key.reveal() }];
  });
  let signing: PgpMaterial['signing'];
  if (spec.sign !== undefined) {
    const privateKey = problems.secret(environment, spec.sign.privateKeyEnv, 'PGP signing key');
    const passphrase =
      spec.sign.passphraseEnv === undefined
        ? undefined
        : problems.secret(environment, spec.sign.passphraseEnv, 'PGP signing key passphrase');
    if (privateKey !== undefined) {
      signing = {
        field: spec.sign.field,
        privateKey,
        ...(passphrase === undefined ? {} : { passphrase }),
      };
    }
  }
  return {
    recipients,
    ...(signing === undefined ? {} : { signing }),
    armor: spec.armor,
    fileSuffix: spec.fileSuffix,
  };
}

/**
 * The secrets of the configured notification channels: the SMTP password when a username is
 * set, the Slack webhook URL when Slack is enabled. Unconfigured channels are simply absent.
 */
export function resolveNotificationSecrets(
  config: ExportConfig,
  environment: Environment,
): NotificationSecrets {
  const problems = new Problems();
  const { email, slack } = config.notifications;
  const password =
    email?.username === undefined
      ? undefined
      : problems.secret(environment, email.passwordEnv, 'SMTP password');
  const webhookUrl =
    slack === undefined ? undefined : problems.secret(environment, slack.webhookUrlEnv, 'Slack webhook');
  problems.throwIfAny('notifications');
  return Object.freeze({
    ...(email === undefined
      ? {}
      : { email: { settings: email, ...(password === undefined ? {} : { password }) } }),
    ...(webhookUrl === undefined ? {} : { slack: { webhookUrl } }),
  });
}
