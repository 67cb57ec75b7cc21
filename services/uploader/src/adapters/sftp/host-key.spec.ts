import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';

import { hostKeyFingerprint, judgeHostKey } from './host-key.js';

describe('host keys', () => {
  const key = Buffer.from('ssh-ed25519 key blob');
  const fingerprint = hostKeyFingerprint(key);

  it('prints SHA256 fingerprints the way OpenSSH does (base64, no padding)', () => {
    expect(fingerprint).toBe(`SHA256:${createHash('sha256').update(key).digest('base64').slice(0, 43)}`);
    expect(fingerprint).not.toContain('=');
  });

  it('accepts a pinned fingerprint, tolerating a missing prefix or padding', () => {
    expect(judgeHostKey(fingerprint, ['SHA256:other', fingerprint], false)).toBe('pinned');
    expect(judgeHostKey(fingerprint, [`${fingerprint.slice(7)}=`], false)).toBe('pinned');
  });

  it('refuses others; the opt-out only applies when nothing is pinned', () => {
    expect(judgeHostKey(fingerprint, ['SHA256:other'], false)).toBe('mismatch');
    expect(judgeHostKey(fingerprint, ['SHA256:other'], true)).toBe('mismatch');
    expect(judgeHostKey(fingerprint, [], false)).toBe('not-pinned');
    expect(judgeHostKey(fingerprint, [], true)).toBe('insecure-accepted');
  });
});
