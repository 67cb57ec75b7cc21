import { describe, expect, it } from '@jest/globals';

import { directoryChain, remoteNames } from './remote-names.js';
import { SftpErrorCode } from './sftp-errors.js';

describe('remoteNames', () => {
  it('puts the temporary file next to the final one, with the default pattern', () => {
    expect(remoteNames('/upload/daily', 'orders.csv')).toEqual({
      directory: '/upload/daily',
      finalPath: '/upload/daily/orders.csv',
      tempPath: '/upload/daily/.orders.csv.partial',
    });
    expect(remoteNames('', 'a.csv', 'tmp-{name}').tempPath).toBe('tmp-a.csv');
  });

  it.each([
    ['a file name with a slash', '/upload', '../x.csv', undefined],
    ['a dot-dot file name', '/upload', '..', undefined],
    ['a pattern without {name}', '/upload', 'x.csv', '.partial'],
    ['a pattern that adds a directory', '/upload', 'x.csv', 'tmp/{name}'],
    ['a pattern that gives the final name', '/upload', 'x.csv', '{name}'],
  ])('refuses %s', (_what, directory, fileName, pattern) => {
    expect(() => remoteNames(directory, fileName, pattern)).toThrow(
      expect.objectContaining({ code: SftpErrorCode.invalidName }),
    );
  });
});

describe('directoryChain', () => {
  it('refuses, permanently, a final or temporary name over 255 bytes (UTF-8) rather than have the server fail it', () => {
    expect(() => remoteNames('/in', 'é'.repeat(128))).toThrow(
      expect.objectContaining({ code: 'SFTP_INVALID_NAME', retryable: false }),
    );
    const longest = 'a'.repeat(246);
    expect(remoteNames('/in', longest, '.{name}.partial').tempPath).toBe(`/in/.${longest}.partial`);
    expect(() => remoteNames('/in', 'a'.repeat(250), '.{name}.partial')).toThrow(
      'temporary name is 259 bytes (UTF-8), over the 255-byte limit of a file name',
    );
  });

  it('lists every directory from the top, absolute or relative', () => {
    expect(directoryChain('/a/b//c/')).toEqual(['/a', '/a/b', '/a/b/c']);
    expect(directoryChain('x/y')).toEqual(['x', 'x/y']);
  });
});
