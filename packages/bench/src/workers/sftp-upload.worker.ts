import { execFile } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { chmod, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';

import { GcsBlobStore } from '@bq-sftp-export/cloud';
import { clientOptions as gcsOptions } from '@bq-sftp-export/local-gcs';
import { generateSshKey, startOpenSshServer, type OpenSshServer } from '@bq-sftp-export/testing';
import { SftpFileTransfer, sshNativeCryptoAvailable } from '@bq-sftp-export/uploader';
import { Storage } from '@google-cloud/storage';
import type { SftpDestination } from '@bq-sftp-export/uploader';

import { timeCommand } from '../measure/time-command.js';
import { timeInProcess, type Sample } from '../measure/stats.js';
import { argNumber, argString, argValue } from './args.js';
import { startLocalGcsProcess } from './local-server-process.js';

export const sftpCipher = 'aes128-gcm@openssh.com';

/** The bench's OpenSSH server as an uploader destination: key auth, pinned key, the bench cipher. */
export function benchDestination(
  server: Pick<OpenSshServer, 'host' | 'port' | 'username' | 'hostKeyFingerprint' | 'root'>,
  privateKey: string,
): SftpDestination {
  return {
    host: server.host,
    port: server.port,
    username: server.username,
    auth: { type: 'private-key', privateKey },
    hostKeyFingerprints: [server.hostKeyFingerprint],
    path: server.root,
    collisionPolicy: 'overwrite',
    algorithms: { cipher: [sftpCipher] },
  };
}

export interface SftpUploadResult {
  readonly bytes: number;
  readonly nativeCrypto: boolean;
  readonly mtu: number;
  readonly samples: { readonly file: Sample[]; readonly gcs: Sample[]; readonly openssh: Sample[] };
}

const quietLogger = { info: () => undefined, warn: () => undefined };
const run = promisify(execFile);

/**
 * Uploads one file (`--source`, `--bytes` long) `--runs` times along three paths to one real
 * OpenSSH server: the uploader's `SftpFileTransfer` fed by a local file stream, the same fed by
 * `GcsBlobStore.openRead` from a local Cloud Storage (in its own process, so its CPU is not
 * counted as the client's), and OpenSSH's `sftp` client. `--mtu` first sets loopback's MTU: the
 * caller runs this worker in a private network namespace for that.
 */
export async function sftpUploadWorker(args: readonly string[]): Promise<SftpUploadResult> {
  const source = argString(args, 'source');
  const bytes = argNumber(args, 'bytes');
  const runs = argNumber(args, 'runs');
  const workDir = argString(args, 'dir');
  const mtu = argValue(args, 'mtu');
  if (mtu !== undefined) await run('ip', ['link', 'set', 'lo', 'up', 'mtu', mtu]);
  const { stdout } = await run('ip', ['-o', 'link', 'show', 'lo']);
  const loMtu = Number(/mtu (\d+)/.exec(stdout)?.[1]);

  const key = await generateSshKey({ type: 'ed25519' });
  const keyFile = path.join(workDir, `client-key-${process.pid}`);
  await writeFile(keyFile, key.privateKey, { mode: 0o600 });
  const server = await startOpenSshServer({
    authorizedKeys: [key.publicKey],
    baseDir: argString(args, 'server-dir'),
  });
  const gcs = await startLocalGcsProcess();
  try {
    await chmod(server.root, 0o777);
    const storage = new Storage(gcsOptions(gcs.endpoint));
    const [bucket] = await storage.createBucket('bench');
    await pipeline(
      createReadStream(source),
      bucket.file('source.bin').createWriteStream({ resumable: false }),
    );
    const store = new GcsBlobStore(storage);
    const destination = benchDestination(server, key.privateKey);
    const upload = async (fileName: string, stream: Readable) => {
      const result = await new SftpFileTransfer(quietLogger).upload({
        destination,
        fileName,
        source: stream,
      });
      if (result.bytes !== bytes) throw new Error(`uploaded ${result.bytes} of ${bytes} bytes`);
    };
    const opensshArgs = [
      ...['-q', '-B', '261120', '-R', '64', '-c', sftpCipher, '-i', keyFile, '-P', String(server.port)],
      ...['-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'BatchMode=yes'],
      ...['-b', '-', `${server.username}@${server.host}`],
    ];
    const samples: SftpUploadResult['samples'] = { file: [], gcs: [], openssh: [] };
    for (let round = 0; round < runs; round++) {
      samples.file.push(
        await timeInProcess(() => upload('file.bin', createReadStream(source, { highWaterMark: 1 << 20 }))),
      );
      samples.gcs.push(
        await timeInProcess(() => upload('gcs.bin', store.openRead({ bucket: 'bench', name: 'source.bin' }))),
      );
      samples.openssh.push(
        await timeCommand(
          'sftp',
          opensshArgs,
          `put ${source} ${path.posix.join(server.root, 'openssh.bin')}\n`,
        ),
      );
      for (const name of ['file.bin', 'gcs.bin', 'openssh.bin']) {
        await rm(path.join(server.root, name), { force: true });
      }
    }
    return { bytes, nativeCrypto: sshNativeCryptoAvailable(), mtu: loMtu, samples };
  } finally {
    await gcs.stop();
    await server.stop();
    await rm(keyFile, { force: true });
  }
}
