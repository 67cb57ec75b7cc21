import { AppError } from '@bq-sftp-export/runtime';

export const ExitCode = { ok: 0, failure: 1, usage: 2 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export const USAGE_INVALID = 'USAGE_INVALID';

/** A command line that cannot work as given: exits 2, like a commander parsing error. */
export function usageError(message: string): AppError {
  return new AppError(message, { code: USAGE_INVALID, retryable: false });
}
