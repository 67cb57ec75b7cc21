export {
  generateEd25519KeyPair,
  loadOrCreateHostKey,
  parseSshKey,
  sshFingerprint,
} from './host-key/host-key.js';
export type { LocalSftp, LocalSftpOptions, LocalSftpUser } from './server/local-sftp-options.js';
export { startLocalSftp } from './server/start-local-sftp.js';
