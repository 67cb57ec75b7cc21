import { describe, expect, it } from '@jest/globals';
import { inspect } from 'node:util';

import { isAppError } from '@bq-sftp-export/runtime';

import { SftpErrorCode, translateSshError } from './sftp-errors.js';

const secret = 'hunter2-secret';

describe('translateSshError', () => {
  it.each([
    [{ code: 2, message: 'No such file' }, SftpErrorCode.noSuchPath, false],
    [{ code: 3, message: 'Permission denied' }, SftpErrorCode.permissionDenied, false],
    [{ code: 4, message: 'Failure' }, SftpErrorCode.serverFailure, true],
    // ENAMETOOLONG: OpenSSH's status (bad message), and other servers' failure with a reason.
    [{ code: 5, message: 'Bad message' }, SftpErrorCode.invalidName, false],
    [{ code: 4, message: 'File name too long' }, SftpErrorCode.invalidName, false],
    [{ code: 4, message: 'open: ENAMETOOLONG' }, SftpErrorCode.invalidName, false],
    [{ code: 'ECONNRESET', message: 'read ECONNRESET' }, SftpErrorCode.network, true],
    [{ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' }, SftpErrorCode.network, true],
    [
      { level: 'client-timeout', message: 'Timed out while waiting for handshake' },
      SftpErrorCode.timeout,
      true,
    ],
    [
      { level: 'client-authentication', message: 'All configured authentication methods failed' },
      SftpErrorCode.authFailed,
      false,
    ],
    [
      { level: 'handshake', message: 'Handshake failed: no matching cipher' },
      SftpErrorCode.handshakeFailed,
      false,
    ],
    [{ message: 'No response from server' }, SftpErrorCode.connectionLost, true],
  ])('maps %o to %s (retryable: %s)', (error, code, retryable) => {
    const translated = translateSshError(
      Object.assign(new Error(String(error.message)), error),
      'open /x',
      [],
    );
    expect(isAppError(translated)).toBe(true);
    expect(translated).toMatchObject({ code, retryable });
    expect(translated.message).toContain('open /x');
  });

  it('keeps no reference to the original error and scrubs secrets from the kept message', () => {
    const leaky = Object.assign(new Error(`auth failed for password ${secret}`), {
      level: 'client-authentication',
      config: { password: secret, privateKey: 'KEYMATERIAL' },
    });
    const translated = translateSshError(leaky, 'connect', [secret]);
    expect(translated.cause).not.toBe(leaky);
    for (const text of [JSON.stringify(translated), inspect(translated, { depth: 10, showHidden: true })]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain('KEYMATERIAL');
    }
    expect((translated.cause as Error).message).toContain('[redacted]');
  });
});
