import { readFile } from 'node:fs/promises';
import path from 'node:path';

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
