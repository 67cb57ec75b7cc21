import path from 'node:path';

import type { BlobReader, ExportConfig } from '@bq-sftp-export/config';
import {
  createConfigSource,
  decodeConfigText,
  loadExportConfig,
  parseConfigJson,
  readConfigFile,
  validateExportConfig,
} from '@bq-sftp-export/config';
import { AppError, isAppError } from '@bq-sftp-export/runtime';

import type { LazyClients } from '../cli/lazy-clients.js';

/** A path (`./x.json`, `configs/a.json`) rather than a config name. */
function isFilePath(reference: string): boolean {
  return reference.endsWith('.json') || reference.includes('/') || reference.includes(path.sep);
}

function gcsReader(clients: LazyClients): BlobReader {
  return {
    async read(uri) {
      const match = /^gs:\/\/([^/]+)\/(.+)$/.exec(uri);
      if (match === null) return undefined;
      try {
        const [contents] = await clients.get().storage.bucket(match[1]!).file(match[2]!).download();
        return contents;
      } catch (error) {
        if ((error as { code?: unknown }).code === 404) return undefined;
        throw error;
      }
    },
  };
}

/**
 * Loads and validates a config given as a file path, or by name from `CONFIG_SOURCE` (a
 * directory, default `configs`, or `gs://bucket/prefix`), as the services do.
 */
export async function loadCliConfig(
  reference: string,
  env: Readonly<Record<string, string | undefined>>,
  clients: LazyClients,
): Promise<ExportConfig> {
  if (!isFilePath(reference)) {
    const location = env['CONFIG_SOURCE'] || 'configs';
    return loadExportConfig(createConfigSource(location, { blobReader: gcsReader(clients) }), reference);
  }
  const name = path.basename(reference, '.json');
  let bytes: Buffer;
  try {
    bytes = await readConfigFile(reference, name);
  } catch (error) {
    if (isAppError(error)) throw error;
    throw new AppError(`cannot read ${reference}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`, {
      code: 'CONFIG_NOT_FOUND',
      retryable: false,
      cause: error,
    });
  }
  const text = decodeConfigText(bytes, name, reference);
  return validateExportConfig(parseConfigJson(text, name, reference), name);
}
