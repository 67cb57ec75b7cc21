import { startOpenSshServer } from '@bq-sftp-export/testing';

import { describeSftpConformance } from './sftp-conformance.js';

// The reference the embedded server is held to: Debian's OpenSSH, jailed as partners' servers are
// (sessions chrooted, starting in /data), so the jail-escape test means the same on both.
describeSftpConformance('OpenSSH server', async () => {
  const server = await startOpenSshServer({ chroot: true });
  return {
    host: server.host,
    port: server.port,
    username: server.username,
    ...(server.password === undefined ? {} : { password: server.password }),
    root: server.root,
    hostKeyFingerprint: server.hostKeyFingerprint,
    stop: () => server.stop(),
  };
});
