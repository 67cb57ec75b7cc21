import { PassThrough, type Transform } from 'node:stream';
import { constants, createGzip } from 'node:zlib';

import type { StagedCompression } from '../domain/file-name.js';

export interface CompressionOptions {
  readonly compression: StagedCompression;
  /** gzip level 1 (fastest) … 9 (smallest). Default 6, zlib's. */
  readonly level?: number | undefined;
}

/** The compression stage after the encoder: gzip, or a pass-through. */
export function createCompressionStream(options: CompressionOptions): Transform {
  if (options.compression === 'none') return new PassThrough();
  const level = options.level ?? constants.Z_DEFAULT_COMPRESSION;
  if (level !== constants.Z_DEFAULT_COMPRESSION && !(Number.isInteger(level) && level >= 1 && level <= 9)) {
    throw new RangeError('gzip level must be an integer from 1 to 9');
  }
  return createGzip({ level, chunkSize: 64 * 1024 });
}
