import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

import { NAME_PATTERN } from '@bq-sftp-export/contracts';

import type { ConfigSource } from './config-source.js';
import { assertConfigName, configNotFound } from './config-source.js';
import { decodeConfigText } from './config-text.js';

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
      bytes = await readFile(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw configNotFound(file, error);
      throw error;
    }
    return decodeConfigText(bytes, name, file);
  }
}
