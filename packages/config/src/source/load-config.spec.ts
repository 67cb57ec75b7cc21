import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { BlobReader } from './config-source.js';
import { MAX_CONFIG_BYTES } from './config-text.js';
import { GcsConfigSource } from './gcs-config-source.js';
import { configsDirectory } from '../testing/seed-config.js';
import { createConfigSource, loadExportConfig } from './load-config.js';

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    return (error as { code?: string }).code;
  }
  throw new Error('expected a rejection');
}

describe('loading configs', () => {
  let directory = '';
  beforeAll(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'bqx-config-'));
    await writeFile(path.join(directory, 'broken.json'), '{"exports": [');
    await writeFile(path.join(directory, 'invalid.json'), '{"exports": []}');
    await writeFile(path.join(directory, 'pasted.json'), '{"sftp": {"password": hunter2-pasted-secret}}');
    await writeFile(path.join(directory, 'latin1.json'), Buffer.from('{"exports": "caf\xe9"}', 'latin1'));
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('loads configs/default.json from the repository', async () => {
    const config = await loadExportConfig(createConfigSource(configsDirectory), 'default');
    expect(config.name).toBe('default');
    expect(config.exports).toHaveLength(2);
  });

  it('refuses config names that leave the directory, before reading', async () => {
    const source = createConfigSource(directory);
    for (const name of ['../x', 'a/b', '', 'default.json', '..']) {
      expect(await codeOf(loadExportConfig(source, name))).toBe('CONFIG_NAME_INVALID');
    }
  });

  it('reports a missing, malformed or invalid config with its own code', async () => {
    const source = createConfigSource(directory);
    expect(await codeOf(loadExportConfig(source, 'absent'))).toBe('CONFIG_NOT_FOUND');
    expect(await codeOf(loadExportConfig(source, 'broken'))).toBe('CONFIG_INVALID');
    await expect(loadExportConfig(source, 'broken')).rejects.toThrow('malformed JSON');
    await expect(loadExportConfig(source, 'invalid')).rejects.toThrow(
      'exports: expected at least one export',
    );
  });

  it('reports malformed JSON with the reason and never the text around it (a pasted secret)', async () => {
    const error = (await loadExportConfig(createConfigSource(directory), 'pasted').then(
      () => new Error('expected a rejection'),
      (caught: unknown) => caught,
    )) as Error;
    expect(error.message).toContain(
      `malformed JSON in ${path.join(directory, 'pasted.json')}: Unexpected token`,
    );
    expect(error.message).not.toContain('hunter2');
    expect(error.message).not.toContain('password');
  });

  it('refuses a file that is not UTF-8, naming it, from a directory or Cloud Storage', async () => {
    await expect(loadExportConfig(createConfigSource(directory), 'latin1')).rejects.toThrow(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        message: expect.stringContaining('latin1.json is not UTF-8 text'),
      }),
    );
    const reader: BlobReader = { read: () => Promise.resolve(Buffer.from([0x7b, 0xff, 0x7d])) };
    await expect(loadExportConfig(new GcsConfigSource('gs://bqx-b/p', reader), 'x')).rejects.toThrow(
      'gs://bqx-b/p/x.json is not UTF-8 text',
    );
  });

  it('refuses a config over the size limit, naming the file and the limit, even one that never ends', async () => {
    await symlink('/dev/zero', path.join(directory, 'endless.json'));
    await writeFile(path.join(directory, 'huge.json'), `{"x": "${'a'.repeat(MAX_CONFIG_BYTES)}"}`);
    for (const name of ['endless', 'huge']) {
      await expect(loadExportConfig(createConfigSource(directory), name)).rejects.toThrow(
        expect.objectContaining({
          code: 'CONFIG_INVALID',
          message: expect.stringContaining(
            `${path.join(directory, `${name}.json`)} is larger than the ${MAX_CONFIG_BYTES}-byte limit`,
          ),
        }),
      );
    }
    const reader: BlobReader = { read: () => Promise.resolve(Buffer.alloc(MAX_CONFIG_BYTES + 1, 0x20)) };
    await expect(loadExportConfig(new GcsConfigSource('gs://bqx-b/p', reader), 'x')).rejects.toThrow(
      `gs://bqx-b/p/x.json is larger than the ${MAX_CONFIG_BYTES}-byte limit`,
    );
  });

  it('refuses a key given twice in one object, naming the file, the key and its path', async () => {
    const text = String.raw`{
      "sftp": {"host": "a.example", "path": "/in", "h\u006fst": "b.example"},
      "exports": [
        {"name": "x", "note": "{\"name\": 1, \"name\": 2}", "columns": ["name", "name"]},
        {"name": "y", "pgp": {"enabled": false, "enabled": true}, "name": "z"}
      ]
    }`;
    await writeFile(path.join(directory, 'twice.json'), text);
    const file = path.join(directory, 'twice.json');
    const error = (await loadExportConfig(createConfigSource(directory), 'twice').then(
      () => new Error('expected a rejection'),
      (caught: unknown) => caught,
    )) as Error & { code?: string; details?: { problems: { path: string; message: string }[] } };
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.details?.problems).toEqual([
      {
        path: 'sftp.host',
        message: `duplicate key "host" in ${file} (line 2, column 52): give each key once`,
      },
      {
        path: 'exports[1].pgp.enabled',
        message: `duplicate key "enabled" in ${file} (line 5, column 49): give each key once`,
      },
      {
        path: 'exports[1].name',
        message: `duplicate key "name" in ${file} (line 5, column 67): give each key once`,
      },
    ]);
    expect(error.message).toContain(`config "twice" is invalid (3 problems)`);
  });

  it('refuses a duplicate key read from Cloud Storage too', async () => {
    const reader: BlobReader = { read: () => Promise.resolve(Buffer.from('{"exports": [], "exports": []}')) };
    await expect(loadExportConfig(new GcsConfigSource('gs://bqx-b/p', reader), 'x')).rejects.toThrow(
      'exports: duplicate key "exports" in gs://bqx-b/p/x.json (line 1, column 17)',
    );
  });

  it('reads gs:// prefixes through a blob reader', async () => {
    const requested: string[] = [];
    const objects = new Map([['gs://bqx-config/team/a/default.json', Buffer.from('{"exports": []}')]]);
    const reader: BlobReader = {
      read: (uri) => {
        requested.push(uri);
        return Promise.resolve(objects.get(uri));
      },
    };
    const source = createConfigSource('gs://bqx-config/team/a/', { blobReader: reader });
    expect(source.locate('default')).toBe('gs://bqx-config/team/a/default.json');
    await expect(loadExportConfig(source, 'default')).rejects.toThrow(
      'exports: expected at least one export',
    );
    expect(await codeOf(loadExportConfig(source, 'other'))).toBe('CONFIG_NOT_FOUND');
    expect(await codeOf(loadExportConfig(source, '../default'))).toBe('CONFIG_NAME_INVALID');
    expect(requested).toEqual(['gs://bqx-config/team/a/default.json', 'gs://bqx-config/team/a/other.json']);
    expect(new GcsConfigSource('gs://bqx-config', reader).locate('x')).toBe('gs://bqx-config/x.json');
  });

  it('needs a blob reader for gs:// and a valid bucket', () => {
    expect(() => createConfigSource('gs://bqx-config/p')).toThrow(
      expect.objectContaining({
        code: 'CONFIG_SOURCE_INVALID',
        message: expect.stringContaining('needs a Cloud Storage reader'),
      }),
    );
    expect(
      () => new GcsConfigSource('gs://Bad Bucket/p', { read: () => Promise.resolve(undefined) }),
    ).toThrow('expected gs://bucket');
  });
});
