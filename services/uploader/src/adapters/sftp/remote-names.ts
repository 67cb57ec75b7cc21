import { posix } from 'node:path';

import { defaultTempNamePattern } from './sftp-destination.js';
import { SftpErrorCode, sftpError } from './sftp-errors.js';

export interface RemoteNames {
  readonly directory: string;
  readonly finalPath: string;
  readonly tempPath: string;
}

/**
 * The final and temporary paths of a delivery. Both names must be plain file names (no `/`, not
 * `.` or `..`), so neither can escape the target directory; the temporary file lives in the
 * same directory as the final one, so the rename never crosses file systems.
 */
export function remoteNames(
  directory: string,
  fileName: string,
  tempNamePattern = defaultTempNamePattern,
): RemoteNames {
  assertPlainName(fileName, 'file name');
  if (!tempNamePattern.includes('{name}')) {
    throw sftpError(
      SftpErrorCode.invalidName,
      `temporary name pattern "${tempNamePattern}" must contain {name}`,
    );
  }
  const tempName = tempNamePattern.split('{name}').join(fileName);
  assertPlainName(tempName, 'temporary name');
  if (tempName === fileName) {
    throw sftpError(SftpErrorCode.invalidName, 'the temporary name pattern gives the final name itself');
  }
  const dir = directory === '' ? '.' : directory;
  return { directory: dir, finalPath: posix.join(dir, fileName), tempPath: posix.join(dir, tempName) };
}

/** What file systems allow in one name (NAME_MAX), in bytes. */
const MAX_NAME_BYTES = 255;

function assertPlainName(name: string, what: string): void {
  if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\0')) {
    throw sftpError(SftpErrorCode.invalidName, `${what} "${name}" is not a plain file name`);
  }
  // The server would answer ENAMETOOLONG as a generic failure, retried for nothing: refuse it here, permanently.
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes > MAX_NAME_BYTES) {
    throw sftpError(
      SftpErrorCode.invalidName,
      `${what} is ${bytes} bytes (UTF-8), over the ${MAX_NAME_BYTES}-byte limit of a file name`,
    );
  }
}

/** `a/b/c` → [`a`, `a/b`, `a/b/c`] (absolute paths keep their leading `/`). */
export function directoryChain(directory: string): string[] {
  const normalised = posix.normalize(directory);
  const parts = normalised.split('/').filter((part) => part !== '' && part !== '.');
  const prefix = normalised.startsWith('/') ? '/' : '';
  return parts.map((_, index) => prefix + parts.slice(0, index + 1).join('/'));
}
