import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, lstat, mkdir, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';

import type { AppError } from '@bq-sftp-export/runtime';
import {
  randomBytesStream,
  sha256File,
  startOpenSshServer,
  type OpenSshServer,
} from '@bq-sftp-export/testing';

import type { SftpDestination, SftpTuning } from './sftp-destination.js';
import { SftpErrorCode } from './sftp-errors.js';
import { SftpFileTransfer } from './sftp-file-transfer.adapter.js';
import { destinationFor, recordingLogger } from './testing/sftp-test-kit.js';

const MiB = 1024 * 1024;

/** Passes `source` through, calling `onChunk` with the running byte count before each chunk. */
function observed(
  source: Readable,
  onChunk: (bytesSoFar: number, chunk: Buffer) => void | Promise<void>,
): Readable {
  return Readable.from(
    (async function* () {
      let bytes = 0;
      for await (const chunk of source) {
        await onChunk(bytes, chunk as Buffer);
        bytes += (chunk as Buffer).length;
        yield chunk as Buffer;
      }
    })(),
  );
}

/** The upload's result, or the error it failed with. */
function outcomeOf<T>(upload: Promise<T>): Promise<T | AppError> {
  return upload.catch((error: unknown) => error as AppError);
}

function sha256Of(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

describe('SftpFileTransfer against a real OpenSSH server', () => {
  let server: OpenSshServer;
  let dir: string;
  let seq = 0;

  beforeAll(async () => {
    server = await startOpenSshServer();
  });
  afterAll(async () => {
    await server.stop();
  });
  afterEach(async () => {
    await server.thawConnections();
  });

  /** A fresh delivery directory per test, writable by the server's user. */
  async function freshDirectory(): Promise<string> {
    seq += 1;
    dir = path.join(server.root, `t${seq}`);
    await mkdir(dir);
    await chmod(dir, 0o777);
    return dir;
  }

  function transfer(tuning: Partial<SftpTuning> = {}) {
    const logger = recordingLogger();
    return { logger, transfer: new SftpFileTransfer(logger, tuning) };
  }

  function destination(overrides: Partial<SftpDestination> = {}): SftpDestination {
    return destinationFor(server, { path: dir, ...overrides });
  }

  it('streams a 50 MB file that lands with the right size and sha256, only at the end under its final name', async () => {
    await freshDirectory();
    const size = 50 * MiB + 12_345;
    const sent = createHash('sha256');
    const sightings = { finalBeforeEnd: false, tempSeen: false };
    const source = observed(randomBytesStream(size, { blockBytes: 64 * 1024 }), (bytes, chunk) => {
      sent.update(chunk);
      if (existsSync(path.join(dir, 'big.bin'))) sightings.finalBeforeEnd = true;
      if (bytes > 8 * MiB && existsSync(path.join(dir, '.big.bin.partial'))) sightings.tempSeen = true;
    });

    const result = await transfer().transfer.upload({
      destination: destination(),
      fileName: 'big.bin',
      source,
    });

    const expectedSha = sent.digest('hex');
    expect(result).toMatchObject({
      outcome: 'uploaded',
      bytes: size,
      sha256: expectedSha,
      publishedWith: 'posix-rename',
    });
    expect(result.remotePath).toBe(path.posix.join(dir, 'big.bin'));
    expect((await stat(path.join(dir, 'big.bin'))).size).toBe(size);
    expect(await sha256File(path.join(dir, 'big.bin'))).toBe(expectedSha);
    expect(sightings).toEqual({ finalBeforeEnd: false, tempSeen: true });
    expect(await readdir(dir)).toEqual(['big.bin']);
  });

  it('checks the bytes against the expected size and sha256, and verifies by read-back when asked', async () => {
    await freshDirectory();
    const content = Buffer.from('id,name\n1,Zoë\n');
    const ok = await transfer().transfer.upload({
      destination: destination({ verifyReadBack: true }),
      fileName: 'ok.csv',
      source: Readable.from([content]),
      expectedBytes: content.length,
      expectedSha256: sha256Of(content),
    });
    expect(ok.sha256).toBe(sha256Of(content));

    const bad = await outcomeOf(
      transfer().transfer.upload({
        destination: destination(),
        fileName: 'bad.csv',
        source: Readable.from([content]),
        expectedBytes: content.length,
        expectedSha256: sha256Of('something else'),
      }),
    );
    expect(bad).toMatchObject({ code: SftpErrorCode.sourceChecksumMismatch, retryable: false });
    expect(await readdir(dir)).toEqual(['ok.csv']);
  });

  it('a source that fails midway leaves no final file and no temporary file', async () => {
    await freshDirectory();
    const source = observed(randomBytesStream(20 * MiB), (bytes) => {
      if (bytes >= 5 * MiB) throw new Error('staged object read failed');
    });
    const error = await outcomeOf(
      transfer().transfer.upload({ destination: destination(), fileName: 'broken.bin', source }),
    );
    expect(error).toMatchObject({ code: SftpErrorCode.sourceFailed, retryable: true });
    expect(await readdir(dir)).toEqual([]);
  });

  it('a server that drops the connection mid-write is detected and the file never renamed', async () => {
    await freshDirectory();
    let dropped = false;
    const source = observed(randomBytesStream(40 * MiB), async (bytes) => {
      if (!dropped && bytes >= 10 * MiB) {
        dropped = true;
        await server.dropConnections();
      }
    });
    const error = await outcomeOf(
      transfer().transfer.upload({ destination: destination(), fileName: 'cut.bin', source }),
    );
    expect(dropped).toBe(true);
    expect(error).toMatchObject({ retryable: true });
    expect([SftpErrorCode.connectionLost, SftpErrorCode.network]).toContain((error as AppError).code);
    expect(existsSync(path.join(dir, 'cut.bin'))).toBe(false);
  });

  it('an abort (e.g. SIGTERM) mid-transfer fails the upload and never renames', async () => {
    await freshDirectory();
    const controller = new AbortController();
    const source = observed(randomBytesStream(40 * MiB), (bytes) => {
      if (bytes >= 6 * MiB) controller.abort();
    });
    const error = await outcomeOf(
      transfer().transfer.upload({
        destination: destination(),
        fileName: 'stop.bin',
        source,
        signal: controller.signal,
      }),
    );
    expect(controller.signal.aborted).toBe(true);
    expect(error).toMatchObject({ code: SftpErrorCode.aborted, retryable: true });
    expect(existsSync(path.join(dir, 'stop.bin'))).toBe(false);
  });

  it('a hung server fails the attempt through the watchdog instead of hanging', async () => {
    await freshDirectory();
    let frozen = false;
    const source = observed(randomBytesStream(40 * MiB), async (bytes) => {
      if (!frozen && bytes >= 4 * MiB) {
        frozen = true;
        await server.freezeConnections();
      }
    });
    const error = await outcomeOf(
      transfer({ operationTimeoutMs: 1_500, keepaliveIntervalMs: 60_000 }).transfer.upload({
        destination: destination(),
        fileName: 'hung.bin',
        source,
      }),
    );
    expect(frozen).toBe(true);
    expect(error).toMatchObject({ code: SftpErrorCode.timeout, retryable: true });
    expect(existsSync(path.join(dir, 'hung.bin'))).toBe(false);
  });

  describe('collision policies', () => {
    const oldContent = 'old,content\n';
    const newContent = Buffer.from('new,content\n');

    async function deliverOver(policy: SftpDestination['collisionPolicy'], content = newContent) {
      const result = await outcomeOf(
        transfer().transfer.upload({
          destination: destination(policy === undefined ? {} : { collisionPolicy: policy }),
          fileName: 'report.csv',
          source: Readable.from([content]),
        }),
      );
      return {
        result,
        onServer: await readFile(path.join(dir, 'report.csv'), 'utf8'),
        files: await readdir(dir),
      };
    }

    beforeEach(async () => {
      await freshDirectory();
      await writeFile(path.join(dir, 'report.csv'), oldContent);
    });

    it('fail (the default) refuses and leaves the existing file alone', async () => {
      const { result, onServer, files } = await deliverOver(undefined);
      expect(result).toMatchObject({ code: SftpErrorCode.targetExists, retryable: false });
      expect(onServer).toBe(oldContent);
      expect(files).toEqual(['report.csv']);
    });

    it('overwrite replaces the file atomically', async () => {
      const { result, onServer, files } = await deliverOver('overwrite');
      expect(result).toMatchObject({ outcome: 'uploaded', publishedWith: 'posix-rename' });
      expect(onServer).toBe(newContent.toString());
      expect(files).toEqual(['report.csv']);
    });

    it('skip-if-identical skips the same content and refuses different content', async () => {
      const same = await deliverOver('skip-if-identical', Buffer.from(oldContent));
      expect(same.result).toMatchObject({ outcome: 'skipped-identical', sha256: sha256Of(oldContent) });
      expect(same.files).toEqual(['report.csv']);
      const different = await deliverOver('skip-if-identical');
      expect(different.result).toMatchObject({ code: SftpErrorCode.targetExists });
      expect(different.onServer).toBe(oldContent);
      expect(different.files).toEqual(['report.csv']);
    });

    it('skip-if-identical with a known sha256 decides before uploading anything', async () => {
      let read = false;
      const source = new Readable({
        read() {
          read = true;
          this.push(null);
        },
      });
      const result = await transfer().transfer.upload({
        destination: destination({ collisionPolicy: 'skip-if-identical' }),
        fileName: 'report.csv',
        source,
        expectedSha256: sha256Of(oldContent),
      });
      expect(result).toMatchObject({ outcome: 'skipped-identical', bytes: oldContent.length });
      expect(read).toBe(false);
      expect(source.destroyed).toBe(true);
    });
  });

  it('creates the remote directory when configured, and refuses a missing one otherwise', async () => {
    await freshDirectory();
    const nested = path.posix.join(dir, 'a', 'b', 'c');
    const missing = await outcomeOf(
      transfer().transfer.upload({
        destination: destination({ path: nested }),
        fileName: 'x.csv',
        source: Readable.from(['x']),
      }),
    );
    expect(missing).toMatchObject({ code: SftpErrorCode.noSuchPath, retryable: false });

    const created = await transfer().transfer.upload({
      destination: destination({ path: nested, createDirectory: true }),
      fileName: 'x.csv',
      source: Readable.from(['x']),
    });
    expect(created.outcome).toBe('uploaded');
    expect(await readFile(path.join(nested, 'x.csv'), 'utf8')).toBe('x');
  });

  it("reports the server's name-too-long (ENAMETOOLONG) as a permanent invalid name, not a retried failure", async () => {
    await freshDirectory();
    // A directory name the file system refuses: OpenSSH answers it with status "bad message".
    const tooLong = path.posix.join(dir, 'd'.repeat(300));
    for (const createDirectory of [false, true]) {
      const error = await outcomeOf(
        transfer().transfer.upload({
          destination: destination({ path: tooLong, createDirectory }),
          fileName: 'x.csv',
          source: Readable.from(['x']),
        }),
      );
      expect(error).toMatchObject({ code: SftpErrorCode.invalidName, retryable: false });
      expect((error as AppError).message).toContain('a name too long');
    }
  });

  it('reports a directory the user may not write to as a permanent permission error', async () => {
    await freshDirectory();
    const locked = path.join(dir, 'locked');
    await mkdir(locked, { mode: 0o755 }); // owned by root, not the SFTP user
    await chmod(locked, 0o755);
    const error = await outcomeOf(
      transfer().transfer.upload({
        destination: destination({ path: locked }),
        fileName: 'x.csv',
        source: Readable.from(['x']),
      }),
    );
    expect(error).toMatchObject({ code: SftpErrorCode.permissionDenied, retryable: false });
  });

  it('uses the configured temporary name pattern and refuses names that leave the directory', async () => {
    await freshDirectory();
    const seen: string[] = [];
    const source = observed(randomBytesStream(3 * MiB, { blockBytes: 256 * 1024 }), async (bytes) => {
      if (bytes > 0) seen.push(...(await readdir(dir)));
    });
    await transfer().transfer.upload({
      destination: destination({ tempNamePattern: '{name}.tmp' }),
      fileName: 'p.bin',
      source,
    });
    expect(seen).toContain('p.bin.tmp');
    expect(seen).not.toContain('p.bin');

    for (const fileName of ['../escape.csv', 'a/b.csv', '..']) {
      const error = await outcomeOf(
        transfer().transfer.upload({ destination: destination(), fileName, source: Readable.from(['x']) }),
      );
      expect(error).toMatchObject({ code: SftpErrorCode.invalidName, retryable: false });
    }
    await rm(path.join(dir, 'p.bin'));
    expect(await readdir(dir)).toEqual([]);
  });

  it('never writes through a symlink planted at the temporary name: removes it, creates the file exclusively', async () => {
    await freshDirectory();
    const outside = path.join(server.root, `outside-${seq}`);
    await mkdir(outside);
    const victim = path.join(outside, 'victim.txt');
    await writeFile(victim, 'untouched');
    await symlink(victim, path.join(dir, '.planted.csv.partial'));
    await symlink(path.join(outside, 'new.txt'), path.join(dir, '.dangling.csv.partial'));

    for (const fileName of ['planted.csv', 'dangling.csv']) {
      await transfer().transfer.upload({
        destination: destination(),
        fileName,
        source: Readable.from(['id\n1\n']),
      });
      const delivered = await lstat(path.join(dir, fileName));
      expect(delivered.isFile()).toBe(true);
      expect(await readFile(path.join(dir, fileName), 'utf8')).toBe('id\n1\n');
    }
    expect(await readFile(victim, 'utf8')).toBe('untouched');
    expect(await readdir(outside)).toEqual(['victim.txt']);
    expect((await readdir(dir)).sort()).toEqual(['dangling.csv', 'planted.csv']);
  });

  it('refuses to publish when the temporary file was replaced by a link during the upload', async () => {
    await freshDirectory();
    const elsewhere = path.join(server.root, `elsewhere-${seq}.txt`);
    await writeFile(elsewhere, 'not the export');
    const temp = path.join(dir, '.swapped.bin.partial');
    let swapped = false;
    const source = observed(randomBytesStream(2 * MiB, { blockBytes: 256 * 1024 }), async (bytes) => {
      if (bytes > 0 && !swapped && existsSync(temp)) {
        swapped = true;
        await rm(temp);
        await symlink(elsewhere, temp);
      }
    });
    const error = await outcomeOf(
      transfer().transfer.upload({ destination: destination(), fileName: 'swapped.bin', source }),
    );
    expect(swapped).toBe(true);
    expect(error).toMatchObject({ code: SftpErrorCode.temporaryReplaced, retryable: false });
    expect(existsSync(path.join(dir, 'swapped.bin'))).toBe(false);
    expect(await readFile(elsewhere, 'utf8')).toBe('not the export');
  });

  it('creates the delivered file private (0600) by default, or with the configured mode, whatever the umask', async () => {
    await freshDirectory();
    await transfer().transfer.upload({
      destination: destination(),
      fileName: 'private.csv',
      source: Readable.from(['x']),
    });
    await transfer().transfer.upload({
      destination: destination({ fileMode: 0o640 }),
      fileName: 'shared.csv',
      source: Readable.from(['x']),
    });
    expect((await stat(path.join(dir, 'private.csv'))).mode & 0o777).toBe(0o600);
    expect((await stat(path.join(dir, 'shared.csv'))).mode & 0o777).toBe(0o640);
  });
});
