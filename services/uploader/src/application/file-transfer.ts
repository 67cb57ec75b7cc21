import type { Readable } from 'node:stream';

import type { ServiceIdentifier } from 'inversify';

import type { SftpDestination } from '../domain/sftp-destination.js';

export interface FileTransferRequest {
  readonly destination: SftpDestination;
  /** Final file name in `destination.path`. */
  readonly fileName: string;
  /** The content; consumed or destroyed in every case. */
  readonly source: Readable;
  /** The upload fails (before publishing the file) if the source yields another size or hash. */
  readonly expectedBytes?: number;
  readonly expectedSha256?: string;
  /** Aborting drops the connection: the upload fails and nothing is published at the final name. */
  readonly signal?: AbortSignal;
}

export interface FileTransferResult {
  /** `skipped-identical`: the same content already was at the final name; nothing was changed. */
  readonly outcome: 'uploaded' | 'skipped-identical';
  readonly remotePath: string;
  readonly bytes: number;
  readonly sha256: string;
  readonly hostKeyFingerprint: string;
}

/**
 * Delivers one file so the partner never sees it partial (the SFTP adapter, `SftpFileTransfer`).
 * Failures are `AppError`s with a stable code and `retryable`.
 */
export interface FileTransfer {
  upload(request: FileTransferRequest): Promise<FileTransferResult>;
}

export const FileTransfer: ServiceIdentifier<FileTransfer> = Symbol('FileTransfer');
