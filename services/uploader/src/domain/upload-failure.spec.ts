import { describe, expect, it } from '@jest/globals';

import { classifyUploadFailure } from './upload-failure.js';

describe('classifyUploadFailure', () => {
  it('retries retryable errors until the last attempt, which is final', () => {
    const network = { code: 'SFTP_NETWORK', retryable: true };
    expect(classifyUploadFailure(network, 1, 10)).toBe('retry');
    expect(classifyUploadFailure(network, 9, 10)).toBe('retry');
    expect(classifyUploadFailure(network, 10, 10)).toBe('final-attempt');
    expect(classifyUploadFailure(network, 11, 10)).toBe('final-attempt');
  });

  it('dead-letters non-retryable errors on any attempt', () => {
    expect(classifyUploadFailure({ code: 'SFTP_AUTH_FAILED', retryable: false }, 1, 10)).toBe('permanent');
    expect(classifyUploadFailure({ code: 'CONFIG_INVALID', retryable: false }, 10, 10)).toBe('permanent');
  });

  it('treats a source that does not match the event as permanent, whatever its source says', () => {
    expect(classifyUploadFailure({ code: 'SFTP_SOURCE_SIZE_MISMATCH', retryable: true }, 1, 10)).toBe(
      'permanent',
    );
    expect(classifyUploadFailure({ code: 'SFTP_REMOTE_SIZE_MISMATCH', retryable: true }, 1, 10)).toBe(
      'retry',
    );
  });
});
