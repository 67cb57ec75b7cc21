import { describe, expect, it } from '@jest/globals';
import { constants } from 'node:fs';
import ssh2 from 'ssh2';
import { openFlags } from './open-flags.js';

const { stringToFlags } = ssh2.utils.sftp;

describe('openFlags', () => {
  it.each([
    ['r', constants.O_RDONLY],
    ['r+', constants.O_RDWR],
    ['w', constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC],
    ['wx', constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_EXCL],
    ['a', constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND],
  ] as const)('maps the client mode %s to the matching open(2) flags', (mode, expected) => {
    expect(openFlags(stringToFlags(mode)!)).toBe(expected);
  });
});
