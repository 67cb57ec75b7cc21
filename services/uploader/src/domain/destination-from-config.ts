import path from 'node:path';

import type { SftpConnection } from '@bq-sftp-export/config';
import { AppError } from '@bq-sftp-export/runtime';

import type { CollisionPolicy, SftpAuth, SftpDestination } from './sftp-destination.js';

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
 *
 * The event's directory must be the destination's `path` or inside it: a `file.ready` is only a
 * message, and must not be able to send files anywhere else the account can write
 * (`DESTINATION_MISMATCH`, permanent).
 */
export function sftpDestinationOf(connection: SftpConnection, place: DeliveryPlace): SftpDestination {
  if (!isInside(place.remoteDirectory, connection.path)) {
    throw new AppError(
      `file.ready: remoteDirectory is outside the path of destination "${connection.name}"`,
      { code: 'DESTINATION_MISMATCH', retryable: false },
    );
  }
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

function isInside(directory: string, base: string): boolean {
  const trim = (value: string): string => path.posix.normalize(value).replace(/(.)\/+$/, '$1');
  const [inner, outer] = [trim(directory), trim(base)];
  return inner === outer || inner.startsWith(outer.endsWith('/') ? outer : `${outer}/`);
}
