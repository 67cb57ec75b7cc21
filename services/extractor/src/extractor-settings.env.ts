import { AppError } from '@bq-sftp-export/runtime';

import { DEFAULT_LEASE_SECONDS, type ExtractorSettings } from './application/extractor-settings.js';

/**
 * The extractor's own environment on top of the shared one (`parseEnvironment` of
 * @bq-sftp-export/config): `EXTRACT_LEASE_SECONDS` (default 3600, at least 60).
 */
export function parseExtractorSettings(
  env: Readonly<Record<string, string | undefined>>,
  stagingBucket: string | undefined,
): ExtractorSettings {
  const text = env['EXTRACT_LEASE_SECONDS'];
  const leaseSeconds = text === undefined || text === '' ? DEFAULT_LEASE_SECONDS : Number(text);
  if (!Number.isInteger(leaseSeconds) || leaseSeconds < 60) {
    throw new AppError('environment is invalid: EXTRACT_LEASE_SECONDS: expected whole seconds >= 60', {
      code: 'ENVIRONMENT_INVALID',
      retryable: false,
    });
  }
  return Object.freeze({ stagingBucket, leaseSeconds });
}
