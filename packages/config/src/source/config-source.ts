import { NAME_PATTERN } from '@bq-sftp-export/contracts';
import { AppError } from '@bq-sftp-export/runtime';

/** Where config files live: reads `<name>.json` by config name. */
export interface ConfigSource {
  /** The file's text; throws `CONFIG_NOT_FOUND` when there is none. */
  read(name: string): Promise<string>;
  /** Where `name` is read from, for messages (`configs/default.json`, `gs://b/p/default.json`). */
  locate(name: string): string;
  /** The config names this source holds, when it can list them (a directory can; `gs://` cannot). */
  names?(): Promise<string[]>;
}

/** The minimal Cloud Storage reader the `gs://` source needs; the GCS adapter provides it. */
export interface BlobReader {
  /** The object's bytes; `undefined` when it does not exist. */
  read(uri: string): Promise<Buffer | undefined>;
}

export const CONFIG_NOT_FOUND = 'CONFIG_NOT_FOUND';
export const CONFIG_NAME_INVALID = 'CONFIG_NAME_INVALID';
export const CONFIG_SOURCE_INVALID = 'CONFIG_SOURCE_INVALID';

/** `CONFIG_SOURCE` cannot be used as given. */
export function configSourceInvalid(message: string): AppError {
  return new AppError(message, { code: CONFIG_SOURCE_INVALID, retryable: false });
}

/** Refuses names that could leave the config directory (`../x`), before any I/O. */
export function assertConfigName(name: string): void {
  if (!NAME_PATTERN.test(name)) {
    throw new AppError('config name: expected 1-128 letters, digits, "_" or "-"', {
      code: CONFIG_NAME_INVALID,
      retryable: false,
    });
  }
}

export function configNotFound(location: string, cause?: unknown): AppError {
  return new AppError(`config not found: ${location}`, {
    code: CONFIG_NOT_FOUND,
    retryable: false,
    ...(cause === undefined ? {} : { cause }),
  });
}
