import type { ErrorInfo } from '@bq-sftp-export/contracts';
import { isAppError, redactString } from '@bq-sftp-export/runtime';

const codePattern = /^[A-Z][A-Z0-9_]{0,63}$/;
const maxMessageLength = 2000;

/**
 * An error as events carry it: stable code, a message with secrets redacted, and whether a
 * retry may help. Errors that are not `AppError`s are `UPLOAD_FAILED` and retryable (a crash is
 * not a verdict).
 */
export function errorInfoOf(error: unknown): ErrorInfo {
  const message = redactString(error instanceof Error ? error.message : String(error));
  const trimmed = message.length > maxMessageLength ? `${message.slice(0, maxMessageLength - 1)}…` : message;
  if (isAppError(error)) {
    return {
      code: codePattern.test(error.code) ? error.code : 'UPLOAD_FAILED',
      message: trimmed,
      retryable: error.retryable,
    };
  }
  return { code: 'UPLOAD_FAILED', message: trimmed, retryable: true };
}
