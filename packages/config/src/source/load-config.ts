import type { ExportConfig } from '../resolve/export-config.js';
import { validateExportConfig } from '../resolve/validate-export-config.js';
import type { BlobReader, ConfigSource } from './config-source.js';
import { configSourceInvalid } from './config-source.js';
import { parseConfigJson } from './config-text.js';
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
  return validateExportConfig(parseConfigJson(text, name, source.locate(name)), name);
}
