import { describe, expect, it } from '@jest/globals';

import { renderSshdConfig, type SshdConfigInput } from './sshd-config.js';

const input: SshdConfigInput = {
  port: 2222,
  hostKeyFile: '/srv/sshd/host_key',
  pidFile: '/srv/sshd/sshd.pid',
  authorizedKeysFile: '/srv/sshd/authorized_keys',
  username: 'partner',
  startDirectory: '/srv/sshd/root',
  chrootDirectory: undefined,
  passwordAuthentication: true,
  keyboardInteractive: false,
  extraConfig: ['Ciphers aes128-ctr'],
};

describe('renderSshdConfig', () => {
  it('forces internal-sftp into the start directory, after any extra lines, without a jail', () => {
    const lines = renderSshdConfig(input).split('\n');
    expect(lines.filter((line) => line.startsWith('ChrootDirectory'))).toEqual([]);
    expect(lines.slice(-3)).toEqual([
      'Ciphers aes128-ctr',
      'ForceCommand internal-sftp -d /srv/sshd/root',
      '',
    ]);
  });

  it('chroots every session and starts it inside the jail', () => {
    const lines = renderSshdConfig({ ...input, chrootDirectory: '/srv/jail', startDirectory: '/data' }).split(
      '\n',
    );
    expect(lines.slice(-3)).toEqual(['ChrootDirectory /srv/jail', 'ForceCommand internal-sftp -d /data', '']);
  });
});
