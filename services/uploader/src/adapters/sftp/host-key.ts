import { createHash } from 'node:crypto';

/** `SHA256:<base64, no padding>` of a raw host key blob, exactly as OpenSSH prints it. */
export function hostKeyFingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

export type HostKeyVerdict = 'pinned' | 'insecure-accepted' | 'not-pinned' | 'mismatch';

/**
 * Compares a presented fingerprint with the pinned ones (a missing `SHA256:` prefix or base64
 * padding is tolerated). `insecureSkipHostKeyCheck` only applies when nothing is pinned.
 */
export function judgeHostKey(
  fingerprint: string,
  pinned: readonly string[],
  insecureSkipHostKeyCheck: boolean,
): HostKeyVerdict {
  const normalise = (value: string): string =>
    value
      .trim()
      .replace(/^SHA256:/i, '')
      .replace(/=+$/, '');
  if (pinned.some((pin) => normalise(pin) === normalise(fingerprint))) return 'pinned';
  // Pins, when present, are always enforced: the opt-out only covers a destination with none.
  if (pinned.length > 0) return 'mismatch';
  return insecureSkipHostKeyCheck ? 'insecure-accepted' : 'not-pinned';
}
