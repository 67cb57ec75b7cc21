import { describe, expect, it } from '@jest/globals';

import { translateBigQueryError } from './bigquery-errors.js';

const apiError = (code: number | undefined, reason?: string) =>
  Object.assign(new Error(`${reason ?? 'failure'}: Table shop.orders`), {
    ...(code === undefined ? {} : { code }),
    ...(reason === undefined ? {} : { errors: [{ reason, message: 'm' }] }),
  });

describe('translateBigQueryError', () => {
  it.each([
    [404, 'notFound', 'BIGQUERY_NOT_FOUND'],
    [400, 'invalidQuery', 'BIGQUERY_INVALID_QUERY'],
    [403, 'accessDenied', 'BIGQUERY_ACCESS_DENIED'],
    [404, undefined, 'BIGQUERY_NOT_FOUND'],
  ])('HTTP %s %s is permanent: %s', (status, reason, code) => {
    const error = translateBigQueryError(apiError(status, reason), 'start query');
    expect(error).toMatchObject({ code, retryable: false });
    expect(error.message).toContain('shop.orders');
  });

  it.each([
    [403, 'rateLimitExceeded'],
    [403, 'quotaExceeded'],
    [500, 'backendError'],
    [503, undefined],
    [undefined, undefined],
  ])('HTTP %s %s is retryable', (status, reason) => {
    expect(translateBigQueryError(apiError(status, reason), 'read')).toMatchObject({
      code: 'BIGQUERY_UNAVAILABLE',
      retryable: true,
    });
  });
});
