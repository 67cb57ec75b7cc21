import { configInvalidError } from '../resolve/validate-export-config.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A config file's bytes as text. Bytes that are not UTF-8 are refused (`CONFIG_INVALID` naming
 * the file) rather than turned into U+FFFD, which would otherwise pass into names and templates.
 */
export function decodeConfigText(bytes: Uint8Array, name: string, location: string): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw configInvalidError(name, [{ path: '', message: `${location} is not UTF-8 text` }]);
  }
}
