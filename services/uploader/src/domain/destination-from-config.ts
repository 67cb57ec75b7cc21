import type { SftpConnection } from '@bq-sftp-export/config';

import type { CollisionPolicy, PgpEncryption, SftpAuth, SftpDestination } from './sftp-destination.js';

/** What a delivery adds to the configured destination: where the file goes and for which run. */
export interface DeliveryPlace {
  /** The `file.ready`'s `remoteDirectory`: the directory the extractor named the file for. */
  readonly remoteDirectory: string;
  readonly runId: string;
}

/**
 * The SFTP destination of one delivery, from the config's destination with its secrets resolved
 * (`resolveSftpConnection`). The remote directory is the event's (what the run was staged for);
 * `{run_id}` in the temporary name is rendered here, `{name}` is left for the adapter.
 *
 * The config's `fail` collision policy becomes `skip-if-identical`: a file with the same name and
 * the same sha256 at the final name is this delivery's own, published by an attempt that died
 * before recording it in the ledger. A different file there still fails the delivery.
 */
export function sftpDestinationOf(connection: SftpConnection, place: DeliveryPlace): SftpDestination {
  return {
    host: connection.host,
    port: connection.port,
    username: connection.username,
    auth: authOf(connection.credentials),
    hostKeyFingerprints: connection.hostKeyFingerprints,
    path: place.remoteDirectory,
    tempNamePattern: connection.tempName.split('{run_id}').join(place.runId),
    collisionPolicy: collisionPolicyOf(connection.collision),
    createDirectory: connection.createDirectory,
    fileMode: connection.fileMode,
    ...(connection.pgp === undefined ? {} : { encryption: encryptionOf(connection.pgp) }),
    ...(connection.manifest === undefined
      ? {}
      : { manifest: { format: connection.manifest.format, nameTemplate: connection.manifest.name } }),
  };
}

function encryptionOf(pgp: NonNullable<SftpConnection['pgp']>): PgpEncryption {
  const { signing } = pgp;
  return {
    recipients: pgp.recipients,
    ...(signing === undefined
      ? {}
      : {
          signing: {
            field: signing.field,
            privateKey: signing.privateKey.reveal(),
            ...(signing.passphrase === undefined ? {} : { passphrase: signing.passphrase.reveal() }),
          },
        }),
    armor: pgp.armor,
    fileSuffix: pgp.fileSuffix,
  };
}

function authOf(credentials: SftpConnection['credentials']): SftpAuth {
  switch (credentials.method) {
    case 'password':
      return { type: 'password', password: credentials.password.reveal() };
    case 'keyboard_interactive':
      return { type: 'keyboard-interactive', password: credentials.password.reveal() };
    case 'private_key':
      return {
        type: 'private-key',
        privateKey: credentials.privateKey.reveal(),
        ...(credentials.passphrase === undefined ? {} : { passphrase: credentials.passphrase.reveal() }),
      };
  }
}

function collisionPolicyOf(collision: SftpConnection['collision']): CollisionPolicy {
  switch (collision) {
    case 'fail':
    case 'skip_if_identical':
      return 'skip-if-identical';
    case 'overwrite':
      return 'overwrite';
  }
}

/**
 * True when `directory` is `base` or inside it, compared segment by segment (`//` and `.` ignored,
 * `/a` and `a` different, any `..` refused): where a `file.ready` may deliver for a destination.
 */
export function isInsideDirectory(directory: string, base: string): boolean {
  const segments = (value: string): string[] =>
    value.split('/').filter((part) => part !== '' && part !== '.');
  const [inner, outer] = [segments(directory), segments(base)];
  if ([...inner, ...outer].includes('..')) return false;
  if (directory.startsWith('/') !== base.startsWith('/')) return false;
  return outer.every((part, index) => inner[index] === part);
}
