import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describeSftpConformance } from '../testing/sftp-conformance.js';
import { startLocalSftp } from './start-local-sftp.js';

describeSftpConformance('embedded server', async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'local-sftp-root-'));
  const server = await startLocalSftp({ root, users: [{ username: 'partner', password: 'secret-pw' }] });
  return {
    host: server.host,
    port: server.port,
    username: 'partner',
    password: 'secret-pw',
    root,
    hostKeyFingerprint: server.hostKeyFingerprint,
    stop: async () => {
      await server.stop();
      await rm(root, { recursive: true, force: true });
    },
  };
});
