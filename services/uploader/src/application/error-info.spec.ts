import { describe, expect, it } from '@jest/globals';

import { AppError } from '@bq-sftp-export/runtime';

import { errorInfoOf } from './error-info.js';

describe('errorInfoOf', () => {
  it('keeps an AppError code and retryable flag', () => {
    expect(errorInfoOf(new AppError('refused', { code: 'SFTP_AUTH_FAILED', retryable: false }))).toEqual({
      code: 'SFTP_AUTH_FAILED',
      message: 'refused',
      retryable: false,
    });
  });

  it('treats unknown errors as retryable UPLOAD_FAILED and redacts secrets in messages', () => {
    const info = errorInfoOf(new Error('connect sftp://verite:hunter2@sftp.example.com failed'));
    expect(info).toMatchObject({ code: 'UPLOAD_FAILED', retryable: true });
    expect(info.message).not.toContain('hunter2');
    expect(errorInfoOf(new AppError('x', { code: 'lower-case', retryable: true })).code).toBe(
      'UPLOAD_FAILED',
    );
    expect(errorInfoOf(new Error('y'.repeat(5000))).message.length).toBeLessThanOrEqual(2000);
  });
});
