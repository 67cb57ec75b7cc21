// ssh2 is CommonJS and Node cannot see its named exports from ESM: take the namespace object.
import { isAppError } from '@bq-sftp-export/runtime';
import ssh2, { type Algorithms, type Client, type ConnectConfig, type SFTPWrapper } from 'ssh2';

import { hostKeyFingerprint, judgeHostKey, type HostKeyVerdict } from './host-key.js';
import { authMethodFor, secretsOf } from './sftp-auth.js';
import type { SftpDestination, SftpTuning } from './sftp-destination.js';
import { SftpErrorCode, safeCause, sftpError, translateSshError } from './sftp-errors.js';
import type { SftpLogger } from './sftp-logger.js';
import { SftpOperations } from './sftp-operations.js';

/** One authenticated SSH connection with its SFTP channel. */
export interface SftpSession {
  readonly ops: SftpOperations;
  readonly hostKeyFingerprint: string;
  /** Ends the connection politely (or destroys it if it does not close in time). */
  close(): Promise<void>;
}

/** Observation points for tests and diagnostics. */
export interface SftpConnectHooks {
  /** Called when the client is about to send credentials (never before the host key was accepted). */
  readonly onAuthAttempt?: () => void;
}

/**
 * Connects and opens the SFTP subsystem. The host key is checked against the pinned
 * fingerprints inside ssh2's `hostVerifier`, i.e. during key exchange and before any credential
 * is sent. Nagle is switched off (ssh2 leaves it on: ~2 MB/s for pipelined writes otherwise).
 */
export async function openSftpSession(
  destination: SftpDestination,
  tuning: SftpTuning,
  logger: SftpLogger,
  hooks: SftpConnectHooks = {},
  signal?: AbortSignal,
): Promise<SftpSession> {
  const secrets = secretsOf(destination.auth);
  const method = authMethodFor(destination.auth, destination.username);
  const where = `${destination.host}:${destination.port}`;
  const client = new ssh2.Client();
  let seen: { fingerprint: string; verdict: HostKeyVerdict } | undefined;
  let authOffered = false;

  const config: ConnectConfig = {
    host: destination.host,
    port: destination.port,
    username: destination.username,
    readyTimeout: tuning.readyTimeoutMs,
    keepaliveInterval: tuning.keepaliveIntervalMs,
    keepaliveCountMax: tuning.keepaliveCountMax,
    hostVerifier: (key: Buffer): boolean => {
      const fingerprint = hostKeyFingerprint(key);
      const verdict = judgeHostKey(
        fingerprint,
        destination.hostKeyFingerprints,
        destination.insecureSkipHostKeyCheck === true,
      );
      seen = { fingerprint, verdict };
      if (verdict === 'insecure-accepted') {
        logger.warn('SFTP HOST KEY NOT VERIFIED: insecureSkipHostKeyCheck is set, any server is trusted', {
          destination: where,
          hostKeyFingerprint: fingerprint,
        });
      }
      return verdict === 'pinned' || verdict === 'insecure-accepted';
    },
    authHandler: (_methodsLeft, _partialSuccess, next) => {
      if (authOffered) return next(false as never); // one configured method; no fallbacks
      authOffered = true;
      hooks.onAuthAttempt?.();
      next(method);
    },
    ...(destination.algorithms === undefined ? {} : { algorithms: destination.algorithms as Algorithms }),
  };

  // ssh2 may emit several errors (e.g. a handshake failure, then ECONNRESET): one listener for
  // the client's whole life, so none is ever unhandled. Before `ready` the first error rejects
  // the connection; afterwards it marks the session lost.
  const lost = new AbortController();
  let onConnectError: ((error: unknown) => void) | undefined;
  client.on('error', (error: Error) => {
    if (onConnectError !== undefined) onConnectError(error);
    else if (!lost.signal.aborted) lost.abort(translateSshError(error, `connection to ${where}`, secrets));
  });
  client.on('close', () => {
    if (onConnectError !== undefined) onConnectError(new Error('No response from server'));
    else if (!lost.signal.aborted)
      lost.abort(sftpError(SftpErrorCode.connectionLost, `connection to ${where} closed`));
  });
  const ready = new Promise<void>((resolve, reject) => {
    onConnectError = reject;
    client.once('ready', () => {
      onConnectError = undefined;
      resolve();
    });
  });
  try {
    client.connect(config);
  } catch (error) {
    // ssh2 validates the config synchronously, e.g. an algorithm name it does not know.
    throw sftpError(SftpErrorCode.handshakeFailed, `${where}: unusable connection settings`, {
      cause: safeCause(error, secrets),
    });
  }
  client.setNoDelay(true);

  // The caller's abort (e.g. SIGTERM) tears the connection down: every pending request fails.
  const onAbort = (): void => {
    const reason = sftpError(SftpErrorCode.aborted, `transfer to ${where} aborted`);
    onConnectError?.(reason);
    if (!lost.signal.aborted) lost.abort(reason);
    client.destroy();
  };
  if (signal?.aborted) onAbort();
  signal?.addEventListener('abort', onAbort, { once: true });
  client.once('close', () => signal?.removeEventListener('abort', onAbort));

  try {
    await ready;
  } catch (error) {
    client.destroy();
    throw isAppError(error) ? error : connectError(error, seen, where, secrets);
  }

  const fingerprint = seen?.fingerprint ?? '';
  try {
    const sftp = await new Promise<SFTPWrapper>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(sftpError(SftpErrorCode.timeout, `${where}: SFTP subsystem did not start in time`)),
        tuning.operationTimeoutMs,
      );
      client.sftp((error, channel) => {
        clearTimeout(timer);
        if (error) reject(translateSshError(error, `start SFTP on ${where}`, secrets));
        else resolve(channel);
      });
    });
    // A malformed SFTP packet makes ssh2 emit 'error' on the channel: the session is then lost.
    sftp.on('error', (error: Error) => {
      if (!lost.signal.aborted) lost.abort(translateSshError(error, `SFTP channel to ${where}`, secrets));
    });
    const ops = new SftpOperations(sftp, {
      timeoutMs: tuning.operationTimeoutMs,
      signal: lost.signal,
      secrets,
      onTimeout: () => client.destroy(),
    });
    return {
      ops,
      hostKeyFingerprint: fingerprint,
      close: () => closeClient(client, lost.signal, tuning.operationTimeoutMs),
    };
  } catch (error) {
    client.destroy();
    throw error;
  }
}

function connectError(
  error: unknown,
  seen: { fingerprint: string; verdict: HostKeyVerdict } | undefined,
  where: string,
  secrets: readonly string[],
) {
  if (seen?.verdict === 'mismatch') {
    return sftpError(
      SftpErrorCode.hostKeyMismatch,
      `${where} presented host key ${seen.fingerprint}, which is not a pinned fingerprint; refused before authenticating`,
      { details: { serverFingerprint: seen.fingerprint } },
    );
  }
  if (seen?.verdict === 'not-pinned') {
    return sftpError(
      SftpErrorCode.hostKeyNotPinned,
      `${where} presented host key ${seen.fingerprint} and no fingerprint is pinned for this destination; ` +
        'verify it with the server operator and add it to hostKeyFingerprints',
      { details: { serverFingerprint: seen.fingerprint } },
    );
  }
  return translateSshError(error, `connect to ${where}`, secrets);
}

function closeClient(client: Client, closed: AbortSignal, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    if (closed.aborted) {
      client.destroy();
      resolve();
      return;
    }
    const timer = setTimeout(() => {
      client.destroy();
      resolve();
    }, timeoutMs);
    client.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    client.end();
  });
}
