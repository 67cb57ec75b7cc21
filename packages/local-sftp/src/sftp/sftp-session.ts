import { lstat, mkdir, open, readdir, readlink, rename, rmdir, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Attributes, SFTPWrapper } from 'ssh2';
import ssh2 from 'ssh2';
import { attributesOf, fileEntry } from './attributes.js';
import { applyAttributes } from './apply-attributes.js';
import { HandleTable, type OpenFile } from './handle-table.js';
import type { Jail } from './jail.js';
import { openFlags } from './open-flags.js';
import { sendExtendedReply } from './sftp-internals.js';
import { messageFor, statusFor } from './status.js';

const { STATUS_CODE } = ssh2.utils.sftp;

/** Largest READ answered in one DATA packet; OpenSSH's sftp-server uses the same bound. */
const MAX_READ = 255 * 1024;
const ENTRIES_PER_READDIR = 100;
/** Packet, read and write sizes OpenSSH announces; ssh2 accepts packets up to 256 KiB. 0 handles = no limit. */
const LIMITS = limitsReply({ packet: 256 * 1024, read: MAX_READ, write: MAX_READ, handles: 0 });

/** A failure answered with a given status rather than the errno mapping. */
class StatusError extends Error {
  constructor(readonly status: number) {
    super(messageFor(status));
  }
}

/**
 * Serves one SFTP channel from a jailed directory. Requests run concurrently (a client pipelines
 * many WRITEs); each file operation is a positional read or write on the open descriptor, so no
 * file is ever held in memory.
 */
export function serveSftp(sftp: SFTPWrapper, jail: Jail): void {
  const handles = new HandleTable();

  const run = (reqId: number, operation: () => Promise<void>): void => {
    operation().catch((error: unknown) => {
      const { code, message } =
        error instanceof StatusError ? { code: error.status, message: error.message } : statusFor(error);
      sftp.status(reqId, code, message);
    });
  };
  const ok = (reqId: number): void => sftp.status(reqId, STATUS_CODE.OK, messageFor(STATUS_CODE.OK));
  const fileOf = (handle: Buffer): OpenFile => {
    const entry = handles.get(handle);
    if (entry?.kind !== 'file') throw new StatusError(STATUS_CODE.FAILURE);
    return entry;
  };

  sftp.on('OPEN', (reqId: number, filename: string, pflags: number, attrs: Partial<Attributes>) =>
    run(reqId, async () => {
      const mode = attrs.mode === undefined ? 0o644 : attrs.mode & 0o7777;
      const file = await open(await jail.resolve(filename), openFlags(pflags), mode);
      sftp.handle(reqId, handles.add({ kind: 'file', file }));
    }),
  );

  sftp.on('READ', (reqId: number, handle: Buffer, offset: number, length: number) =>
    run(reqId, async () => {
      const buffer = Buffer.allocUnsafe(Math.min(length, MAX_READ));
      const { bytesRead } = await fileOf(handle).file.read(buffer, 0, buffer.length, offset);
      if (bytesRead === 0) sftp.status(reqId, STATUS_CODE.EOF, messageFor(STATUS_CODE.EOF));
      else sftp.data(reqId, buffer.subarray(0, bytesRead));
    }),
  );

  sftp.on('WRITE', (reqId: number, handle: Buffer, offset: number, data: Buffer) =>
    run(reqId, async () => {
      const { file } = fileOf(handle);
      let written = 0;
      while (written < data.length) {
        const { bytesWritten } = await file.write(data, written, data.length - written, offset + written);
        written += bytesWritten;
      }
      ok(reqId);
    }),
  );

  sftp.on('FSTAT', (reqId: number, handle: Buffer) =>
    run(reqId, async () => sftp.attrs(reqId, attributesOf(await fileOf(handle).file.stat()))),
  );

  sftp.on('FSETSTAT', (reqId: number, handle: Buffer, attrs: Partial<Attributes>) =>
    run(reqId, async () => {
      await applyAttributes(fileOf(handle).file, attrs);
      ok(reqId);
    }),
  );

  sftp.on('SETSTAT', (reqId: number, clientPath: string, attrs: Partial<Attributes>) =>
    run(reqId, async () => {
      const file = await open(await jail.resolve(clientPath), 'r');
      try {
        await applyAttributes(file, attrs);
      } finally {
        await file.close();
      }
      ok(reqId);
    }),
  );

  sftp.on('CLOSE', (reqId: number, handle: Buffer) =>
    run(reqId, async () => {
      const entry = handles.delete(handle);
      if (!entry) throw new StatusError(STATUS_CODE.FAILURE);
      if (entry.kind === 'file') await entry.file.close();
      ok(reqId);
    }),
  );

  sftp.on('OPENDIR', (reqId: number, clientPath: string) =>
    run(reqId, async () => {
      const localPath = await jail.resolve(clientPath);
      const names = await readdir(localPath);
      sftp.handle(reqId, handles.add({ kind: 'directory', localPath, pending: ['.', '..', ...names] }));
    }),
  );

  sftp.on('READDIR', (reqId: number, handle: Buffer) =>
    run(reqId, async () => {
      const entry = handles.get(handle);
      if (entry?.kind !== 'directory') throw new StatusError(STATUS_CODE.FAILURE);
      const batch = entry.pending.splice(0, ENTRIES_PER_READDIR);
      if (batch.length === 0) throw new StatusError(STATUS_CODE.EOF);
      const listed = await Promise.all(
        batch.map(async (name) => {
          // `..` of the root is shown as the root itself: the client never sees above it.
          const localPath = name === '..' ? entry.localPath : path.join(entry.localPath, name);
          const stats = await lstat(localPath).catch(() => undefined);
          return stats && fileEntry(name, stats);
        }),
      );
      sftp.name(
        reqId,
        listed.filter((item) => item !== undefined),
      );
    }),
  );

  sftp.on('LSTAT', (reqId: number, clientPath: string) =>
    run(reqId, async () => sftp.attrs(reqId, attributesOf(await lstat(await jail.resolveEntry(clientPath))))),
  );

  sftp.on('STAT', (reqId: number, clientPath: string) =>
    run(reqId, async () => sftp.attrs(reqId, attributesOf(await stat(await jail.resolve(clientPath))))),
  );

  sftp.on('MKDIR', (reqId: number, clientPath: string, attrs: Partial<Attributes>) =>
    run(reqId, async () => {
      await mkdir(
        await jail.resolveEntry(clientPath),
        attrs.mode === undefined ? 0o777 : attrs.mode & 0o7777,
      );
      ok(reqId);
    }),
  );

  sftp.on('RMDIR', (reqId: number, clientPath: string) =>
    run(reqId, async () => {
      if (jail.virtualPath(clientPath) === '/') throw new StatusError(STATUS_CODE.PERMISSION_DENIED);
      await rmdir(await jail.resolveEntry(clientPath));
      ok(reqId);
    }),
  );

  sftp.on('REMOVE', (reqId: number, clientPath: string) =>
    run(reqId, async () => {
      await unlink(await jail.resolveEntry(clientPath));
      ok(reqId);
    }),
  );

  sftp.on('RENAME', (reqId: number, fromPath: string, toPath: string) =>
    run(reqId, async () => {
      const [from, to] = await Promise.all([jail.resolveEntry(fromPath), jail.resolveEntry(toPath)]);
      await lstat(from);
      // Plain SFTP v3 rename never replaces: OpenSSH answers FAILURE when the target exists.
      if (await exists(to)) throw new StatusError(STATUS_CODE.FAILURE);
      await rename(from, to);
      ok(reqId);
    }),
  );

  sftp.on('REALPATH', (reqId: number, clientPath: string) =>
    run(reqId, async () => {
      const virtualPath = jail.virtualPath(clientPath);
      sftp.name(reqId, [{ filename: virtualPath, longname: virtualPath, attrs: {} as Attributes }]);
      return Promise.resolve();
    }),
  );

  sftp.on('READLINK', (reqId: number, clientPath: string) =>
    run(reqId, async () => {
      const target = await readlink(await jail.resolveEntry(clientPath));
      sftp.name(reqId, [{ filename: target, longname: target, attrs: {} as Attributes }]);
    }),
  );

  sftp.on('EXTENDED', (reqId: number, name: string, data: Buffer | undefined) =>
    run(reqId, async () => {
      const fields = readStrings(data);
      if (name === 'posix-rename@openssh.com' && fields.length === 2) {
        const [from, to] = await Promise.all(
          fields.map((field) => jail.resolveEntry(field.toString('utf8'))),
        );
        await rename(from!, to!);
      } else if (name === 'limits@openssh.com') {
        if (sendExtendedReply(sftp, reqId, LIMITS)) return;
        throw new StatusError(STATUS_CODE.OP_UNSUPPORTED);
      } else if (name === 'fsync@openssh.com' && fields.length === 1) {
        await fileOf(fields[0]!).file.sync();
      } else {
        throw new StatusError(STATUS_CODE.OP_UNSUPPORTED);
      }
      ok(reqId);
    }),
  );

  const release = (): void => void handles.closeAll();
  sftp.on('close', release);
  sftp.on('end', () => {
    release();
    // The client's EOF (OpenSSH `sftp` at the end of a batch, or `bye`): close our side too, or
    // the client waits for the channel to close forever.
    sftp.end();
  });
}

async function exists(localPath: string): Promise<boolean> {
  return lstat(localPath).then(
    () => true,
    (error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    },
  );
}

function limitsReply(limits: { packet: number; read: number; write: number; handles: number }): Buffer {
  const reply = Buffer.alloc(32);
  [limits.packet, limits.read, limits.write, limits.handles].forEach((value, index) =>
    reply.writeBigUInt64BE(BigInt(value), index * 8),
  );
  return reply;
}

/** Splits an extended request's payload into its SSH `string` fields. */
function readStrings(data: Buffer | undefined): Buffer[] {
  const fields: Buffer[] = [];
  let offset = 0;
  while (data && offset + 4 <= data.length) {
    const length = data.readUInt32BE(offset);
    if (offset + 4 + length > data.length) throw new StatusError(STATUS_CODE.BAD_MESSAGE);
    fields.push(data.subarray(offset + 4, offset + 4 + length));
    offset += 4 + length;
  }
  return fields;
}
