import { AppError } from '@bq-sftp-export/runtime';

/** The HTTP status of a Cloud Storage client error, when it has one. */
export function gcsStatus(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

/**
 * Turns a Cloud Storage client error into an AppError. Only the status and the object's URI
 * are kept: client errors can carry request options, and those are not ours to log.
 */
export function translateGcsError(error: unknown, action: string, uri: string): AppError {
  const status = gcsStatus(error);
  const base = { cause: error, details: { uri, status } };
  if (status === 404) {
    return new AppError(`${action}: ${uri} does not exist`, {
      ...base,
      code: 'BLOB_NOT_FOUND',
      retryable: false,
    });
  }
  if (status === 401 || status === 403) {
    return new AppError(`${action}: permission denied on ${uri}`, {
      ...base,
      code: 'BLOB_PERMISSION_DENIED',
      retryable: false,
    });
  }
  if (status === 400) {
    return new AppError(`${action}: Cloud Storage refused the request for ${uri}`, {
      ...base,
      code: 'BLOB_BAD_REQUEST',
      retryable: false,
    });
  }
  return new AppError(
    `${action}: Cloud Storage is unavailable for ${uri}${status ? ` (HTTP ${status})` : ''}`,
    {
      ...base,
      code: 'BLOB_UNAVAILABLE',
      retryable: true,
    },
  );
}
