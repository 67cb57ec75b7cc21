import { AppError } from '@bq-sftp-export/runtime';

/** Stable codes of the errors the SFTP adapter raises. */
export const SftpErrorCode = {
  hostKeyMismatch: 'SFTP_HOST_KEY_MISMATCH',
  hostKeyNotPinned: 'SFTP_HOST_KEY_NOT_PINNED',
  authFailed: 'SFTP_AUTH_FAILED',
  keyPassphraseMissing: 'SFTP_KEY_PASSPHRASE_MISSING',
  keyPassphraseWrong: 'SFTP_KEY_PASSPHRASE_WRONG',
  keyInvalid: 'SFTP_KEY_INVALID',
  handshakeFailed: 'SFTP_HANDSHAKE_FAILED',
  network: 'SFTP_NETWORK',
  connectionLost: 'SFTP_CONNECTION_LOST',
  timeout: 'SFTP_TIMEOUT',
  permissionDenied: 'SFTP_PERMISSION_DENIED',
  noSuchPath: 'SFTP_NO_SUCH_PATH',
  targetExists: 'SFTP_TARGET_EXISTS',
  remoteSizeMismatch: 'SFTP_REMOTE_SIZE_MISMATCH',
  remoteChecksumMismatch: 'SFTP_REMOTE_CHECKSUM_MISMATCH',
  sourceSizeMismatch: 'SFTP_SOURCE_SIZE_MISMATCH',
  sourceChecksumMismatch: 'SFTP_SOURCE_CHECKSUM_MISMATCH',
  sourceFailed: 'SFTP_SOURCE_FAILED',
  invalidName: 'SFTP_INVALID_NAME',
  /** The temporary entry stopped being the regular file written (replaced by a link or a directory). */
  temporaryReplaced: 'SFTP_TEMPORARY_REPLACED',
  unsupported: 'SFTP_UNSUPPORTED',
  serverFailure: 'SFTP_SERVER_FAILURE',
  aborted: 'SFTP_ABORTED',
} as const;
export type SftpErrorCode = (typeof SftpErrorCode)[keyof typeof SftpErrorCode];

const permanent = new Set<SftpErrorCode>([
  SftpErrorCode.hostKeyMismatch,
  SftpErrorCode.hostKeyNotPinned,
  SftpErrorCode.authFailed,
  SftpErrorCode.keyPassphraseMissing,
  SftpErrorCode.keyPassphraseWrong,
  SftpErrorCode.keyInvalid,
  SftpErrorCode.handshakeFailed,
  SftpErrorCode.permissionDenied,
  SftpErrorCode.noSuchPath,
  SftpErrorCode.targetExists,
  SftpErrorCode.sourceChecksumMismatch,
  SftpErrorCode.invalidName,
  SftpErrorCode.temporaryReplaced,
  SftpErrorCode.unsupported,
]);

/** An AppError with a stable SFTP code; `retryable` follows from the code. */
export function sftpError(
  code: SftpErrorCode,
  message: string,
  options: { cause?: unknown; details?: Readonly<Record<string, unknown>> } = {},
): AppError {
  return new AppError(message, { code, retryable: !permanent.has(code), ...options });
}

// SFTP v3 status codes (draft-ietf-secsh-filexfer-02 §7).
const sftpStatus = {
  noSuchFile: 2,
  permissionDenied: 3,
  /** OpenSSH's sftp-server (and the local SFTP server) answer ENAMETOOLONG and EINVAL with it. */
  badMessage: 5,
  noConnection: 6,
  connectionLost: 7,
  opUnsupported: 8,
};
const networkCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'ENOTFOUND',
]);

interface SshLikeError {
  readonly message?: unknown;
  readonly code?: unknown;
  readonly level?: unknown;
}

/**
 * Translates an ssh2 / socket / SFTP status error into an AppError. `what` names the operation
 * ("open /upload/.x.partial"); `secrets` are scrubbed from the message kept as the cause. The
 * original error object is never kept: libraries have attached their whole config (credentials
 * included) to errors, so the cause is rebuilt from safe facts only.
 */
export function translateSshError(error: unknown, what: string, secrets: readonly string[]): AppError {
  const e = (
    typeof error === 'object' && error !== null ? error : { message: String(error) }
  ) as SshLikeError;
  const message = typeof e.message === 'string' ? e.message : 'unknown error';
  const cause = safeCause(error, secrets);
  const fail = (code: SftpErrorCode, text: string): AppError =>
    sftpError(code, `${what}: ${text}`, { cause, details: { operation: what } });

  if (typeof e.code === 'number') {
    switch (e.code) {
      case sftpStatus.noSuchFile:
        return fail(SftpErrorCode.noSuchPath, 'no such file or directory');
      case sftpStatus.permissionDenied:
        return fail(SftpErrorCode.permissionDenied, 'permission denied');
      case sftpStatus.noConnection:
      case sftpStatus.connectionLost:
        return fail(SftpErrorCode.connectionLost, 'connection lost');
      case sftpStatus.opUnsupported:
        return fail(SftpErrorCode.unsupported, 'operation not supported by the server');
      case sftpStatus.badMessage:
        // The same request gets the same answer: retrying cannot help.
        return fail(
          SftpErrorCode.invalidName,
          'the server refused the request as invalid (a name too long, or an invalid argument)',
        );
    }
  }
  // Servers that answer a generic failure but say why in the message.
  if (/ENAMETOOLONG|name too long/i.test(message)) {
    return fail(SftpErrorCode.invalidName, 'the server reported a file name too long');
  }
  if (typeof e.code === 'string' && networkCodes.has(e.code)) return fail(SftpErrorCode.network, e.code);
  switch (e.level) {
    case 'client-timeout':
      return fail(SftpErrorCode.timeout, 'timed out');
    case 'client-authentication':
      return fail(SftpErrorCode.authFailed, 'authentication failed');
    case 'client-socket':
      return fail(SftpErrorCode.network, 'socket error');
    case 'handshake':
      return /no matching|handshake failed/i.test(message)
        ? fail(SftpErrorCode.handshakeFailed, 'no algorithms in common with the server')
        : fail(SftpErrorCode.connectionLost, 'handshake interrupted');
  }
  if (
    /no response from server|not connected|channel (is )?(not open|closed)|connection lost/i.test(message)
  ) {
    return fail(SftpErrorCode.connectionLost, 'connection lost');
  }
  return fail(SftpErrorCode.serverFailure, 'the server reported a failure');
}

/** A plain Error with the original's name, scrubbed message, code and ssh2 level, and nothing else. */
export function safeCause(error: unknown, secrets: readonly string[]): Error {
  const e = (typeof error === 'object' && error !== null ? error : {}) as SshLikeError & { name?: unknown };
  let message = typeof e.message === 'string' ? e.message : String(error);
  for (const secret of secrets) if (secret.length > 0) message = message.split(secret).join('[redacted]');
  const cause = new Error(message) as Error & { code?: unknown; level?: unknown };
  if (typeof e.name === 'string') cause.name = e.name;
  if (typeof e.code === 'string' || typeof e.code === 'number') cause.code = e.code;
  if (typeof e.level === 'string') cause.level = e.level;
  // The stack of a rebuilt error points here, not into the library; keep it short and honest.
  cause.stack = `${cause.name}: ${message}`;
  return cause;
}
