export { randomBytesFile, randomBytesStream } from './files/random-bytes.js';
export { sha256File, sha256Stream } from './files/sha256.js';
export { startOpenSshServer } from './openssh/openssh-server.js';
export type { OpenSshServer, OpenSshServerOptions } from './openssh/openssh-server.js';
export { fingerprintOf, generateSshKey } from './openssh/ssh-keys.js';
export type { SshKeyOptions, SshKeyPair, SshKeyType } from './openssh/ssh-keys.js';
export { ensureTestUser, testUserName } from './openssh/test-user.js';
export type { TestUser } from './openssh/test-user.js';
