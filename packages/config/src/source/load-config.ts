import type { ExportConfig } from '../resolve/export-config.js';
import { configInvalidError, validateExportConfig } from '../resolve/validate-export-config.js';
import type { BlobReader, ConfigSource } from './config-source.js';
import { configSourceInvalid } from './config-source.js';
import { DirectoryConfigSource } from './directory-config-source.js';
import { GcsConfigSource, isGcsLocation } from './gcs-config-source.js';

/**
 * The source for `CONFIG_SOURCE`: a `gs://bucket/prefix` (needs a blob reader, the GCS
 * adapter) or a local directory.
 */
export function createConfigSource(
  location: string,
  options: { blobReader?: BlobReader } = {},
): ConfigSource {
  if (!isGcsLocation(location)) return new DirectoryConfigSource(location);
  if (options.blobReader === undefined)
    throw configSourceInvalid(`config source ${location} needs a Cloud Storage reader`);
  return new GcsConfigSource(location, options.blobReader);
}

/** Reads, parses and validates a config by name. Throws CONFIG_NAME_INVALID, CONFIG_NOT_FOUND or CONFIG_INVALID. */
export async function loadExportConfig(source: ConfigSource, name: string): Promise<ExportConfig> {
  const text = await source.read(name);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof SyntaxError ? error.message : 'not JSON';
    throw configInvalidError(name, [
      { path: '', message: `malformed JSON in ${source.locate(name)}: ${reason}` },
    ]);
  }
  return validateExportConfig(raw, name);
}
