import { AppError, isAppError } from '@bq-sftp-export/runtime';

/**
 * Any error as an `AppError`: domain errors (bad identifiers, windows, values a dialect cannot
 * write) keep their code and are permanent; unknown errors are retryable (a crash is not a
 * verdict).
 */
export function asAppError(error: unknown): AppError {
  if (isAppError(error)) return error;
  if (
    error instanceof Error &&
    error.name === 'DomainError' &&
    'code' in error &&
    typeof error.code === 'string'
  ) {
    return new AppError(error.message, { code: error.code, retryable: false, cause: error });
  }
  const message = error instanceof Error ? error.message : 'unknown error';
  return new AppError(`unexpected error: ${message}`, {
    code: 'EXTRACT_UNEXPECTED',
    retryable: true,
    cause: error,
  });
}
