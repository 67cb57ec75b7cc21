import { createRequire } from 'node:module';

/**
 * Whether ssh2 loaded its optional native crypto binding (AES-GCM / ChaCha20-Poly1305 in C++,
 * worth 21–28 % of SFTP throughput). It is silently missing when install scripts were skipped,
 * build tools were absent, or the binding was built for another Node ABI. ssh2 exposes no public
 * flag; its crypto module's `bindingAvailable` is the one it uses itself.
 */
export function sshNativeCryptoAvailable(): boolean {
  try {
    const crypto = createRequire(import.meta.url)('ssh2/lib/protocol/crypto.js') as {
      bindingAvailable?: unknown;
    };
    return crypto.bindingAvailable === true;
  } catch {
    return false;
  }
}
