import type { FileHandle } from 'node:fs/promises';
import type { Attributes } from 'ssh2';

/** Applies the attributes a SETSTAT/FSETSTAT carries (size, permissions, times); uid/gid are ignored. */
export async function applyAttributes(file: FileHandle, attrs: Partial<Attributes>): Promise<void> {
  if (attrs.size !== undefined) await file.truncate(attrs.size);
  if (attrs.mode !== undefined) await file.chmod(attrs.mode & 0o7777);
  if (attrs.atime !== undefined && attrs.mtime !== undefined) await file.utimes(attrs.atime, attrs.mtime);
}
