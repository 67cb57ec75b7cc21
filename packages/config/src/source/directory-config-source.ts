import { open, readdir } from 'node:fs/promises';
import path from 'node:path';

import { NAME_PATTERN } from '@bq-sftp-export/contracts';

import type { ConfigSource } from './config-source.js';
import { assertConfigName, configNotFound } from './config-source.js';
import { configTooLarge, decodeConfigText, MAX_CONFIG_BYTES } from './config-text.js';

/** Config files in a local directory: `<directory>/<name>.json`. */
export class DirectoryConfigSource implements ConfigSource {
  readonly #directory: string;

  constructor(directory: string) {
    this.#directory = directory;
  }

  locate(name: string): string {
    assertConfigName(name);
    return path.join(this.#directory, `${name}.json`);
  }

  /** `<name>.json` files with a valid config name, sorted; none when the directory does not exist. */
  async names(): Promise<string[]> {
    let entries: string[];
    try {
      entries = await readdir(this.#directory);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return entries
      .filter((entry) => entry.endsWith('.json'))
      .map((entry) => entry.slice(0, -'.json'.length))
      .filter((name) => NAME_PATTERN.test(name))
      .sort();
  }

  async read(name: string): Promise<string> {
    const file = this.locate(name);
    let bytes: Buffer;
    try {
      bytes = await readConfigFile(file, name);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw configNotFound(file, error);
      throw error;
    }
    return decodeConfigText(bytes, name, file);
  }
}

/**
 * A config file's bytes, read with a bound (never by the size stat reports: a link to /dev/zero
 * reports 0 and never ends); `CONFIG_INVALID` naming the file and the limit when larger.
 */
export async function readConfigFile(file: string, name: string): Promise<Buffer> {
  const bytes = await readAtMost(file, MAX_CONFIG_BYTES + 1);
  if (bytes.length > MAX_CONFIG_BYTES) throw configTooLarge(name, file);
  return bytes;
}

/** Up to `limit` bytes of `file`. */
async function readAtMost(file: string, limit: number): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(limit);
    let filled = 0;
    while (filled < limit) {
      const { bytesRead } = await handle.read(buffer, filled, limit - filled, null);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return buffer.subarray(0, filled);
  } finally {
    await handle.close();
  }
}
