import { AppError } from '@bq-sftp-export/runtime';

/** Reasons BigQuery gives for failures that a retry cannot fix. */
const permanentReasons = new Set([
  'notFound',
  'invalidQuery',
  'invalid',
  'accessDenied',
  'billingNotEnabled',
  'duplicate',
]);
/** Reasons that look permanent by status but are not (403 for quotas and rate limits). */
const transientReasons = new Set([
  'rateLimitExceeded',
  'quotaExceeded',
  'backendError',
  'internalError',
  'jobBackendError',
  'jobInternalError',
  'stopped',
]);

interface ApiErrorShape {
  code?: unknown;
  errors?: { reason?: unknown; message?: unknown }[];
  message?: unknown;
}

function reasonOf(error: ApiErrorShape): string | undefined {
  const reason = error.errors?.[0]?.reason;
  return typeof reason === 'string' ? reason : undefined;
}

/**
 * Translates a BigQuery client error. Missing tables, invalid queries and permission errors
 * are permanent (`BIGQUERY_NOT_FOUND`, `BIGQUERY_INVALID_QUERY`, `BIGQUERY_ACCESS_DENIED`);
 * rate limits, 5xx and network errors are retryable (`BIGQUERY_UNAVAILABLE`). BigQuery's
 * messages name tables and columns, never row values, so the message is kept (shortened).
 */
export function translateBigQueryError(error: unknown, action: string): AppError {
  const shape = (typeof error === 'object' && error !== null ? error : {}) as ApiErrorShape;
  const status = typeof shape.code === 'number' ? shape.code : undefined;
  const reason = reasonOf(shape);
  const message = typeof shape.message === 'string' ? shape.message.slice(0, 500) : 'no message';
  const details = { status, reason };
  const permanent =
    reason !== undefined && !transientReasons.has(reason)
      ? permanentReasons.has(reason) || status === 400 || status === 403 || status === 404
      : reason === undefined && (status === 400 || status === 403 || status === 404);
  if (!permanent) {
    return new AppError(`${action}: BigQuery is unavailable (${reason ?? status ?? 'network'}): ${message}`, {
      code: 'BIGQUERY_UNAVAILABLE',
      retryable: true,
      cause: error,
      details,
    });
  }
  const code =
    reason === 'notFound' || status === 404
      ? 'BIGQUERY_NOT_FOUND'
      : reason === 'accessDenied' || status === 403
        ? 'BIGQUERY_ACCESS_DENIED'
        : 'BIGQUERY_INVALID_QUERY';
  return new AppError(`${action}: ${message}`, { code, retryable: false, cause: error, details });
}
