import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Jail, JailEscapeError } from './jail.js';

describe('Jail', () => {
  let base: string;
  let root: string;
  let jail: Jail;

  beforeAll(async () => {
    base = await realpath(await mkdtemp(path.join(tmpdir(), 'jail-')));
    root = path.join(base, 'root');
    await mkdir(path.join(root, 'in'), { recursive: true });
    await mkdir(path.join(base, 'outside'));
    await writeFile(path.join(root, 'in', 'file.txt'), 'x');
    await symlink(path.join(base, 'outside'), path.join(root, 'out-link'));
    await symlink(path.join(root, 'in'), path.join(root, 'in-link'));
    await symlink(path.join(base, 'outside', 'nothing-yet'), path.join(root, 'dangling'));
    jail = await Jail.open(root);
  });

  afterAll(() => rm(base, { recursive: true, force: true }));

  it('normalises client paths into the virtual tree', () => {
    expect(jail.virtualPath('')).toBe('/');
    expect(jail.virtualPath('.')).toBe('/');
    expect(jail.virtualPath('in/./x/../file.txt')).toBe('/in/file.txt');
    expect(jail.virtualPath('//in//file.txt')).toBe('/in/file.txt');
  });

  it('refuses `..` above the root', () => {
    expect(() => jail.virtualPath('..')).toThrow(JailEscapeError);
    expect(() => jail.virtualPath('/in/../../etc/passwd')).toThrow(JailEscapeError);
  });

  it('maps paths inside, existing or not', async () => {
    expect(await jail.resolve('/in/file.txt')).toBe(path.join(root, 'in', 'file.txt'));
    expect(await jail.resolve('in/new.txt')).toBe(path.join(root, 'in', 'new.txt'));
    expect(await jail.resolve('/')).toBe(root);
  });

  it('follows links that stay inside', async () => {
    expect(await jail.resolve('/in-link/file.txt')).toBe(path.join(root, 'in', 'file.txt'));
  });

  it('refuses links that lead outside, including dangling ones', async () => {
    await expect(jail.resolve('/out-link')).rejects.toThrow(JailEscapeError);
    await expect(jail.resolve('/out-link/new.txt')).rejects.toThrow(JailEscapeError);
    await expect(jail.resolve('/dangling')).rejects.toThrow(JailEscapeError);
    await expect(jail.resolveEntry('/out-link/x')).rejects.toThrow(JailEscapeError);
  });

  it('names a link itself without following it', async () => {
    expect(await jail.resolveEntry('/out-link')).toBe(path.join(root, 'out-link'));
  });
});
