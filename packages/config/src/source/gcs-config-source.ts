import type { BlobReader, ConfigSource } from './config-source.js';
import { assertConfigName, configNotFound, configSourceInvalid } from './config-source.js';
import { configTooLarge, decodeConfigText, MAX_CONFIG_BYTES } from './config-text.js';

const GS_PREFIX = /^gs:\/\/([a-z0-9][a-z0-9._-]{1,220}[a-z0-9])(?:\/(.*))?$/;

/** Config files under a Cloud Storage prefix: `gs://bucket/prefix/<name>.json`. */
export class GcsConfigSource implements ConfigSource {
  readonly #base: string;
  readonly #reader: BlobReader;

  constructor(location: string, reader: BlobReader) {
    const match = GS_PREFIX.exec(location);
    if (match === null) throw configSourceInvalid('config source: expected gs://bucket[/prefix]');
    const prefix = (match[2] ?? '').replace(/^\/+|\/+$/g, '');
    this.#base = `gs://${match[1]}/${prefix === '' ? '' : `${prefix}/`}`;
    this.#reader = reader;
  }

  locate(name: string): string {
    assertConfigName(name);
    return `${this.#base}${name}.json`;
  }

  async read(name: string): Promise<string> {
    const uri = this.locate(name);
    const bytes = await this.#reader.read(uri);
    if (bytes === undefined) throw configNotFound(uri);
    if (bytes.length > MAX_CONFIG_BYTES) throw configTooLarge(name, uri);
    return decodeConfigText(bytes, name, uri);
  }
}

export function isGcsLocation(location: string): boolean {
  return location.startsWith('gs://');
}
