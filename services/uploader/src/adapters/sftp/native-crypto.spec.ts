import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

describe('sshNativeCryptoAvailable', () => {
  it('is true exactly when ssh2 has a loadable native binding for this Node', () => {
    const ssh2Dir = path.dirname(createRequire(import.meta.url).resolve('ssh2/package.json'));
    const built = existsSync(path.join(ssh2Dir, 'lib/protocol/crypto/build/Release/sshcrypto.node'));
    // Asked in a fresh Node process, as the service asks at start-up: a native addon loads once per
    // process, so inside a Jest worker that already loaded ssh2 for another test file it cannot.
    const moduleUrl = new URL('./native-crypto.ts', import.meta.url).href;
    const answer = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const m = await import(${JSON.stringify(moduleUrl)}); console.log(m.sshNativeCryptoAvailable());`,
      ],
      { encoding: 'utf8' },
    ).trim();
    // Built by the install script (pnpm-workspace.yaml allows it) for the Node running the tests.
    expect(answer).toBe(String(built));
  });
});
