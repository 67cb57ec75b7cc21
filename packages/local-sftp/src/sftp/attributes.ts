import type { Stats } from 'node:fs';
import type { Attributes, FileEntry } from 'ssh2';

export function attributesOf(stats: Stats): Attributes {
  return {
    mode: stats.mode,
    uid: stats.uid,
    gid: stats.gid,
    size: stats.size,
    atime: Math.floor(stats.atimeMs / 1000),
    mtime: Math.floor(stats.mtimeMs / 1000),
  };
}

const typeLetters: ReadonlyArray<[number, string]> = [
  [0o040000, 'd'],
  [0o120000, 'l'],
  [0o100000, '-'],
  [0o020000, 'c'],
  [0o060000, 'b'],
  [0o010000, 'p'],
  [0o140000, 's'],
];
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A directory entry with an `ls -l` style long name, shaped like OpenSSH's. */
export function fileEntry(filename: string, stats: Stats): FileEntry {
  const type = typeLetters.find(([bits]) => (stats.mode & 0o170000) === bits)?.[1] ?? '?';
  const permissions = Array.from('rwxrwxrwx', (letter, index) =>
    stats.mode & (0o400 >> index) ? letter : '-',
  ).join('');
  const date = stats.mtime;
  const when = `${months[date.getUTCMonth()]} ${String(date.getUTCDate()).padStart(2)} ${String(
    date.getUTCHours(),
  ).padStart(2, '0')}:${String(date.getUTCMinutes()).padStart(2, '0')}`;
  const longname = [
    `${type}${permissions}`,
    String(stats.nlink).padStart(4),
    String(stats.uid).padEnd(8),
    String(stats.gid).padEnd(8),
    String(stats.size).padStart(8),
    when,
    filename,
  ].join(' ');
  return { filename, longname, attrs: attributesOf(stats) };
}
