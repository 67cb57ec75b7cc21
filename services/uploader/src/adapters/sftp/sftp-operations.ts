import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { SFTPWrapper, Stats } from 'ssh2';

import { isAppError } from '@bq-sftp-export/runtime';

import { PipelinedWriteError, writeStreamPipelined, type PipelinedWriteResult } from './pipelined-writer.js';
import { SftpErrorCode, safeCause, sftpError, translateSshError } from './sftp-errors.js';

const readChunkBytes = 255 * 1024;

export interface SftpOperationsOptions {
  /** Deadline of each request; a request that misses it fails the attempt. */
  readonly timeoutMs: number;
  /** Aborted (with the translated error) when the connection fails or closes. */
  readonly signal: AbortSignal;
  readonly secrets: readonly string[];
  /** Called when a deadline passes: the connection is in an unknown state and must go. */
  readonly onTimeout: () => void;
}

/**
 * Promise-returning SFTP requests, each with a watchdog (deadline) and failing as soon as the
 * connection is lost, with errors translated to AppErrors. Paths are remote, absolute or
 * relative to the session's start directory.
 */
export class SftpOperations {
  constructor(
    private readonly sftp: SFTPWrapper,
    private readonly options: SftpOperationsOptions,
  ) {}

  /** Attributes of `path`, or undefined when it does not exist. */
  async statOrUndefined(path: string): Promise<Stats | undefined> {
    try {
      return await this.request<Stats>(`stat ${path}`, (done) => this.sftp.stat(path, done));
    } catch (error) {
      if ((error as { code?: unknown }).code === SftpErrorCode.noSuchPath) return undefined;
      throw error;
    }
  }

  /** Attributes of the entry `path` itself (a symlink is not followed), or undefined when there is none. */
  async lstatOrUndefined(path: string): Promise<Stats | undefined> {
    try {
      return await this.request<Stats>(`lstat ${path}`, (done) => this.sftp.lstat(path, done));
    } catch (error) {
      if ((error as { code?: unknown }).code === SftpErrorCode.noSuchPath) return undefined;
      throw error;
    }
  }

  mkdir(path: string): Promise<void> {
    return this.request(`mkdir ${path}`, (done) => this.sftp.mkdir(path, done));
  }

  /**
   * Creates `path` for writing with `mode`, exclusively (`O_CREAT|O_EXCL`): fails when any entry
   * is there, a symlink included, so nothing planted at the name is followed. The mode is then
   * set on the handle, so the server's umask does not widen or narrow it.
   */
  async createExclusive(path: string, mode: number): Promise<Buffer> {
    const handle = await this.request<Buffer>(`open ${path}`, (done) =>
      this.sftp.open(path, 'wx', { mode }, done),
    );
    try {
      await this.request(`chmod ${path}`, (done) => this.sftp.fchmod(handle, mode, done));
    } catch (error) {
      await this.closeHandle(handle, path).catch(() => undefined);
      throw error;
    }
    return handle;
  }

  closeHandle(handle: Buffer, path: string): Promise<void> {
    return this.request(`close ${path}`, (done) => this.sftp.close(handle, done));
  }

  unlink(path: string): Promise<void> {
    return this.request(`remove ${path}`, (done) => this.sftp.unlink(path, done));
  }

  /**
   * Renames with `posix-rename@openssh.com` (atomic, replaces an existing target) when the
   * server offers it; resolves `false` when it does not, so the caller can choose a fallback.
   */
  async posixRename(from: string, to: string): Promise<boolean> {
    try {
      await this.request(`rename ${from} to ${to}`, (done) => this.sftp.ext_openssh_rename(from, to, done));
      return true;
    } catch (error) {
      if (error instanceof Error && /does not support this extended request/.test(error.message))
        return false;
      throw error;
    }
  }

  /** SFTP v3 rename: fails when the target exists (OpenSSH implements it with link + unlink). */
  rename(from: string, to: string): Promise<void> {
    return this.request(`rename ${from} to ${to}`, (done) => this.sftp.rename(from, to, done));
  }

  /** Streams `source` into the open `handle` with several WRITE requests in flight. */
  async write(
    handle: Buffer,
    path: string,
    source: Readable,
    options: { concurrency: number; chunkBytes: number; sha256: boolean },
  ): Promise<PipelinedWriteResult> {
    try {
      return await writeStreamPipelined(this.sftp, handle, source, {
        ...options,
        stallTimeoutMs: this.options.timeoutMs,
        signal: this.options.signal,
      });
    } catch (error) {
      if (!(error instanceof PipelinedWriteError)) throw this.translate(error, `write ${path}`);
      switch (error.reason) {
        case 'stalled':
          this.options.onTimeout();
          throw sftpError(SftpErrorCode.timeout, `write ${path}: ${error.message}`);
        case 'aborted':
          throw isAppError(error.cause) ? error.cause : this.translate(error.cause, `write ${path}`);
        case 'source':
          throw sourceError(error.cause);
        case 'write':
          throw this.translate(error.cause, `write ${path}`);
      }
    }
  }

  /**
   * Hex sha256 of a remote file, read back with one READ request at a time (read-back is the
   * rare path: skip-if-identical and verifyReadBack). Every request has the usual deadline, and
   * the handle is closed before this resolves, so nothing is left pending on the channel.
   */
  async sha256Of(path: string): Promise<string> {
    const handle = await this.request<Buffer>(`open ${path}`, (done) => this.sftp.open(path, 'r', done));
    const hash = createHash('sha256');
    const buffer = Buffer.allocUnsafe(readChunkBytes);
    try {
      for (let position = 0; ;) {
        const bytesRead = await this.request<number>(`read ${path}`, (done) =>
          this.sftp.read(handle, buffer, 0, buffer.length, position, (error, bytes) => done(error, bytes)),
        );
        if (bytesRead === 0) break;
        hash.update(buffer.subarray(0, bytesRead));
        position += bytesRead;
      }
    } finally {
      await this.closeHandle(handle, path).catch(() => undefined);
    }
    return hash.digest('hex');
  }

  translate(error: unknown, what: string): Error {
    return isAppError(error) ? error : translateSshError(error, what, this.options.secrets);
  }

  private request<T = void>(
    what: string,
    start: (done: (error: Error | null | undefined, value: T) => void) => void,
  ): Promise<T> {
    const { signal, timeoutMs } = this.options;
    if (signal.aborted) return Promise.reject(signal.reason as Error);
    return new Promise<T>((resolve, reject) => {
      const finish = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
      };
      const onAbort = (): void => {
        finish();
        reject(signal.reason as Error);
      };
      const timer = setTimeout(() => {
        finish();
        this.options.onTimeout();
        reject(sftpError(SftpErrorCode.timeout, `${what}: no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      signal.addEventListener('abort', onAbort, { once: true });
      try {
        start((error, value) => {
          finish();
          if (error) reject(this.translate(error, what));
          else resolve(value);
        });
      } catch (error) {
        // ssh2 throws synchronously for an extension the server lacks: kept as-is for posixRename.
        finish();
        reject(
          error instanceof Error && /extended request/.test(error.message)
            ? error
            : this.translate(error, what),
        );
      }
    });
  }
}

/** A source that failed with an AppError keeps it (e.g. the blob store's own code); others are wrapped. */
function sourceError(cause: unknown): Error {
  if (isAppError(cause)) return cause;
  return sftpError(SftpErrorCode.sourceFailed, 'reading the source stream failed', {
    cause: safeCause(cause, []),
  });
}
