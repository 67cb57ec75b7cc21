import { describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import { sshNativeCryptoAvailable } from './native-crypto.js';

describe('sshNativeCryptoAvailable', () => {
  it('is true exactly when ssh2 has a loadable native binding for this Node', () => {
    const ssh2Dir = path.dirname(createRequire(import.meta.url).resolve('ssh2/package.json'));
    const built = existsSync(path.join(ssh2Dir, 'lib/protocol/crypto/build/Release/sshcrypto.node'));
    // Built by the install script (pnpm-workspace.yaml allows it) for the Node running the tests.
    expect(sshNativeCryptoAvailable()).toBe(built);
  });
});
