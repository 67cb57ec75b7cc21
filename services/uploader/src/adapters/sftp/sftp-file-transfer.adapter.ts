import { faultPoint, FaultPoints, withSpan } from '@bq-sftp-export/runtime';
import type { Stats } from 'ssh2';

import type { FileTransfer, FileTransferRequest } from '../../application/file-transfer.js';
import { directoryChain, remoteNames, type RemoteNames } from './remote-names.js';
import {
  defaultFileMode,
  defaultSftpTuning,
  type SftpDestination,
  type SftpTuning,
} from './sftp-destination.js';
import { SftpErrorCode, sftpError } from './sftp-errors.js';
import type { SftpLogger } from './sftp-logger.js';
import type { SftpOperations } from './sftp-operations.js';
import { openSftpSession, type SftpConnectHooks, type SftpSession } from './sftp-session.js';

/** The `FileTransfer` port's request: this adapter is its implementation. */
export type SftpUploadRequest = FileTransferRequest;

export type SftpUploadResult =
  | {
      readonly outcome: 'uploaded';
      readonly remotePath: string;
      readonly bytes: number;
      readonly sha256: string;
      /** How the temporary file became the final one. */
      readonly publishedWith: 'posix-rename' | 'rename' | 'remove-then-rename';
      readonly hostKeyFingerprint: string;
    }
  | {
      /** `skip-if-identical` found the same content at the final name; nothing was changed. */
      readonly outcome: 'skipped-identical';
      readonly remotePath: string;
      readonly bytes: number;
      readonly sha256: string;
      readonly hostKeyFingerprint: string;
    };

/**
 * Delivers one file to an SFTP destination so the partner never sees a partial file: stream to a
 * temporary name in the target directory, verify the remote size (and optionally read it back),
 * then rename into place (`posix-rename@openssh.com` where offered). The temporary file is removed
 * on failure (best effort: when the connection itself died it cannot be; the next attempt
 * removes it before creating its own).
 */
export class SftpFileTransfer implements FileTransfer {
  private readonly tuning: SftpTuning;

  constructor(
    private readonly logger: SftpLogger,
    tuning: Partial<SftpTuning> = {},
    private readonly hooks: SftpConnectHooks = {},
  ) {
    this.tuning = { ...defaultSftpTuning, ...tuning };
  }

  async upload(request: SftpUploadRequest): Promise<SftpUploadResult> {
    const { destination, source } = request;
    let session: SftpSession | undefined;
    try {
      const names = remoteNames(destination.path, request.fileName, destination.tempNamePattern);
      const server = { 'server.address': destination.host, 'server.port': destination.port ?? 22 };
      session = await withSpan('sftp connect', { attributes: server }, () =>
        openSftpSession(destination, this.tuning, this.logger, this.hooks, request.signal),
      );
      await faultPoint(FaultPoints.uploaderConnected);
      const result = await this.deliver(session, names, request);
      return result;
    } finally {
      if (!source.destroyed) source.destroy();
      await session?.close();
    }
  }

  private async deliver(
    session: SftpSession,
    names: RemoteNames,
    request: SftpUploadRequest,
  ): Promise<SftpUploadResult> {
    const { ops, hostKeyFingerprint } = session;
    const policy = request.destination.collisionPolicy ?? 'fail';
    await this.ensureDirectory(ops, names.directory, request.destination.createDirectory === true);

    const existing = await ops.statOrUndefined(names.finalPath);
    if (existing !== undefined && policy === 'fail') throw targetExists(names.finalPath);
    if (existing !== undefined && policy === 'skip-if-identical' && request.expectedSha256 !== undefined) {
      const sameSize = request.expectedBytes === undefined || existing.size === request.expectedBytes;
      if (sameSize && (await ops.sha256Of(names.finalPath)) === request.expectedSha256) {
        return {
          outcome: 'skipped-identical',
          remotePath: names.finalPath,
          bytes: existing.size,
          sha256: request.expectedSha256,
          hostKeyFingerprint,
        };
      }
      throw targetExists(names.finalPath, 'with different content');
    }

    let written: { bytes: number; sha256: string };
    try {
      written = await withSpan('sftp transfer', {}, async (span) => {
        const result = await this.writeTemporary(ops, names.tempPath, request);
        span.setAttribute('bqx.bytes', result.bytes);
        return result;
      });
      const publishedWith = await withSpan(
        'sftp rename',
        { attributes: { 'bqx.collision_policy': policy } },
        (span) =>
          this.publish(ops, names, written, policy).then((how) => {
            span.setAttribute('bqx.published_with', how);
            return how;
          }),
      );
      if (publishedWith === 'skipped-identical') {
        return { outcome: 'skipped-identical', remotePath: names.finalPath, ...written, hostKeyFingerprint };
      }
      this.logger.info('SFTP file delivered', {
        remotePath: names.finalPath,
        bytes: written.bytes,
        publishedWith,
      });
      return {
        outcome: 'uploaded',
        remotePath: names.finalPath,
        ...written,
        publishedWith,
        hostKeyFingerprint,
      };
    } catch (error) {
      await this.removeTemporary(ops, names.tempPath);
      throw error;
    }
  }

  private async ensureDirectory(ops: SftpOperations, directory: string, create: boolean): Promise<void> {
    if ((await ops.statOrUndefined(directory))?.isDirectory() === true) return;
    if (!create) {
      throw sftpError(
        SftpErrorCode.noSuchPath,
        `remote directory ${directory} does not exist (createDirectory is off)`,
      );
    }
    for (const dir of directoryChain(directory)) {
      if ((await ops.statOrUndefined(dir)) === undefined) {
        await ops.mkdir(dir).catch(async (error: unknown) => {
          if ((await ops.statOrUndefined(dir)) === undefined) throw error; // lost a race with another uploader: fine
        });
      }
    }
  }

  /**
   * Writes the temporary file. Whatever is at the temporary name (a leftover of a dead attempt,
   * or a symlink planted by anyone who can write to the directory) is removed first — the entry
   * itself, never what a link points to — and the file is created exclusively, so the export is
   * never written through a link to somewhere else.
   */
  private async writeTemporary(ops: SftpOperations, tempPath: string, request: SftpUploadRequest) {
    if ((await ops.lstatOrUndefined(tempPath)) !== undefined) await ops.unlink(tempPath);
    const handle = await ops.createExclusive(tempPath, request.destination.fileMode ?? defaultFileMode);
    let result;
    try {
      result = await ops.write(handle, tempPath, request.source, {
        concurrency: this.tuning.writeConcurrency,
        chunkBytes: this.tuning.writeChunkBytes,
        sha256: true,
      });
    } catch (error) {
      await ops.closeHandle(handle, tempPath).catch(() => undefined);
      throw error;
    }
    await ops.closeHandle(handle, tempPath);
    const sha256 = result.sha256 ?? '';
    if (request.expectedBytes !== undefined && result.bytes !== request.expectedBytes) {
      throw sftpError(
        SftpErrorCode.sourceSizeMismatch,
        `the source yielded ${result.bytes} bytes, ${request.expectedBytes} expected`,
      );
    }
    if (request.expectedSha256 !== undefined && sha256 !== request.expectedSha256) {
      throw sftpError(
        SftpErrorCode.sourceChecksumMismatch,
        'the source content does not match the expected sha256',
        {
          details: { expectedSha256: request.expectedSha256, actualSha256: sha256 },
        },
      );
    }
    const remote = await this.regularTemporary(ops, tempPath);
    if (remote.size !== result.bytes) {
      throw sftpError(
        SftpErrorCode.remoteSizeMismatch,
        `${tempPath} holds ${remote.size} bytes after sending ${result.bytes}`,
      );
    }
    if (request.destination.verifyReadBack === true && (await ops.sha256Of(tempPath)) !== sha256) {
      throw sftpError(
        SftpErrorCode.remoteChecksumMismatch,
        `${tempPath} read back with another sha256 than was sent`,
      );
    }
    return { bytes: result.bytes, sha256 };
  }

  /** The temporary entry's attributes; it must (still) be a regular file, not a link put in its place. */
  private async regularTemporary(ops: SftpOperations, tempPath: string): Promise<Stats> {
    const entry = await ops.lstatOrUndefined(tempPath);
    if (entry === undefined) {
      throw sftpError(SftpErrorCode.remoteSizeMismatch, `${tempPath} is gone after the upload`);
    }
    if (!entry.isFile()) {
      throw sftpError(
        SftpErrorCode.temporaryReplaced,
        `${tempPath} is no longer the regular file written (something replaced it); not published`,
      );
    }
    return entry;
  }

  /**
   * Moves the temporary file to the final name. With `posix-rename@openssh.com` this is one
   * atomic step that also replaces an existing file. Without it (non-OpenSSH servers), SFTP v3
   * `rename` is used, which refuses to replace: for `overwrite` the old file is removed first,
   * so the final name is briefly absent — never partial. Re-checks the final name first, since
   * another writer may have created it during the upload.
   */
  private async publish(
    ops: SftpOperations,
    names: RemoteNames,
    written: { bytes: number; sha256: string },
    policy: NonNullable<SftpDestination['collisionPolicy']>,
  ): Promise<'posix-rename' | 'rename' | 'remove-then-rename' | 'skipped-identical'> {
    const existing = await ops.statOrUndefined(names.finalPath);
    if (existing !== undefined) {
      if (policy === 'fail') throw targetExists(names.finalPath);
      if (policy === 'skip-if-identical') {
        if (existing.size === written.bytes && (await ops.sha256Of(names.finalPath)) === written.sha256) {
          await ops.unlink(names.tempPath);
          return 'skipped-identical';
        }
        throw targetExists(names.finalPath, 'with different content');
      }
    }
    await this.regularTemporary(ops, names.tempPath);
    if (await ops.posixRename(names.tempPath, names.finalPath)) return 'posix-rename';
    if (existing === undefined) {
      await ops.rename(names.tempPath, names.finalPath);
      return 'rename';
    }
    this.logger.warn('SFTP server lacks posix-rename: replacing the final file in two steps', {
      remotePath: names.finalPath,
    });
    await ops.unlink(names.finalPath);
    await ops.rename(names.tempPath, names.finalPath);
    return 'remove-then-rename';
  }

  private async removeTemporary(ops: SftpOperations, tempPath: string): Promise<void> {
    try {
      await ops.unlink(tempPath);
    } catch (error) {
      if ((error as { code?: unknown }).code === SftpErrorCode.noSuchPath) return;
      this.logger.warn('could not remove the temporary file after a failed upload', {
        tempPath,
        code: (error as { code?: unknown }).code,
      });
    }
  }
}

function targetExists(path: string, how = ''): Error {
  return sftpError(SftpErrorCode.targetExists, `${path} already exists${how === '' ? '' : ` ${how}`}`);
}
