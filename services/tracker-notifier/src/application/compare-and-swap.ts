import type { AppError } from '@bq-sftp-export/runtime';

const MAX_CONFLICTS = 5;

/**
 * Writes `first` if the stored version is still `version`; on a conflict re-reads, re-decides
 * and tries again, up to 5 conflicts, then throws `conflict()` (a retryable error: the message
 * is redelivered and decided afresh). Stops when there is nothing (left) to write.
 */
export async function writeOnVersion<T>(
  first: T | undefined,
  version: string | undefined,
  write: (next: T, expectedVersion: string | undefined) => Promise<boolean>,
  reread: () => Promise<{ readonly next: T | undefined; readonly version: string | undefined }>,
  conflict: () => AppError,
): Promise<void> {
  let next = first;
  let expected = version;
  for (let conflicts = 0; next !== undefined; conflicts++) {
    if (conflicts >= MAX_CONFLICTS) throw conflict();
    if (await write(next, expected)) return;
    ({ next, version: expected } = await reread());
  }
}
