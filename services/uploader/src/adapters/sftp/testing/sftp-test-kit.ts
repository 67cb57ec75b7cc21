import type { OpenSshServer } from '@bq-sftp-export/testing';

import type { SftpDestination } from '../sftp-destination.js';
import type { SftpLogger } from '../sftp-logger.js';

/** A destination pointing at a test server's root, pinned to its host key, password auth. */
export function destinationFor(
  server: OpenSshServer,
  overrides: Partial<SftpDestination> = {},
): SftpDestination {
  return {
    host: server.host,
    port: server.port,
    username: server.username,
    auth: { type: 'password', password: server.password ?? '' },
    hostKeyFingerprints: [server.hostKeyFingerprint],
    path: server.root,
    ...overrides,
  };
}

export interface RecordedLog {
  readonly level: 'info' | 'warn';
  readonly message: string;
  readonly fields: Readonly<Record<string, unknown>> | undefined;
}

/** A logger that keeps what it is told, for assertions. */
export function recordingLogger(): SftpLogger & { readonly entries: RecordedLog[] } {
  const entries: RecordedLog[] = [];
  return {
    entries,
    info: (message, fields) => entries.push({ level: 'info', message, fields }),
    warn: (message, fields) => entries.push({ level: 'warn', message, fields }),
  };
}
