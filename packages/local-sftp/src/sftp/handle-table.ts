import type { FileHandle } from 'node:fs/promises';

export interface OpenFile {
  readonly kind: 'file';
  readonly file: FileHandle;
}

export interface OpenDirectory {
  readonly kind: 'directory';
  readonly localPath: string;
  /** Names not yet sent to the client, `.` and `..` first as OpenSSH lists them. */
  readonly pending: string[];
}

export type OpenHandle = OpenFile | OpenDirectory;

/** The handles of one SFTP session: opaque 4-byte ids for the client, open files and listings here. */
export class HandleTable {
  private next = 0;
  private readonly open = new Map<number, OpenHandle>();

  add(entry: OpenHandle): Buffer {
    const id = this.next++;
    this.open.set(id, entry);
    const handle = Buffer.alloc(4);
    handle.writeUInt32BE(id);
    return handle;
  }

  get(handle: Buffer): OpenHandle | undefined {
    return handle.length === 4 ? this.open.get(handle.readUInt32BE()) : undefined;
  }

  delete(handle: Buffer): OpenHandle | undefined {
    const entry = this.get(handle);
    if (entry) this.open.delete(handle.readUInt32BE());
    return entry;
  }

  /** Closes every file left open, e.g. when the client disconnects mid-transfer. */
  async closeAll(): Promise<void> {
    const files = [...this.open.values()].filter((entry): entry is OpenFile => entry.kind === 'file');
    this.open.clear();
    await Promise.allSettled(files.map((entry) => entry.file.close()));
  }
}
