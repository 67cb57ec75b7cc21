import { describe, expect, it } from '@jest/globals';

import { AppError, isAppError, isRetryable } from './app-error.js';

describe('AppError', () => {
  it('keeps code, retryable, cause and details', () => {
    const cause = new Error('socket hang up');
    const error = new AppError('upload failed', {
      code: 'SFTP_NETWORK',
      retryable: true,
      cause,
      details: { host: 'sftp.example.com' },
    });
    expect(error.message).toBe('upload failed');
    expect(error.code).toBe('SFTP_NETWORK');
    expect(error.retryable).toBe(true);
    expect(error.cause).toBe(cause);
    expect(error.details).toEqual({ host: 'sftp.example.com' });
    expect(Object.isFrozen(error.details)).toBe(true);
  });

  it('is recognised by its brand, not by instanceof', () => {
    const error = new AppError('x', { code: 'X', retryable: false });
    const lookalike = Object.assign(new Error('x'), { code: 'X', retryable: false });
    expect(isAppError(error)).toBe(true);
    expect(isAppError(lookalike)).toBe(false);
    expect(isAppError(null)).toBe(false);
    expect(isAppError('AppError')).toBe(false);
  });

  it('treats unknown errors as retryable and AppErrors by their flag', () => {
    expect(isRetryable(new Error('boom'))).toBe(true);
    expect(isRetryable(new AppError('bad config', { code: 'CONFIG_INVALID', retryable: false }))).toBe(false);
    expect(isRetryable(new AppError('timeout', { code: 'TIMEOUT', retryable: true }))).toBe(true);
  });
});
