import type { ExportEvent } from '@bq-sftp-export/contracts';

/** The uploader's code for a server whose host key is not among the pinned fingerprints. */
export const HOST_KEY_MISMATCH = 'SFTP_HOST_KEY_MISMATCH';

/** What a failure notification adds when the partner's host key changed: severity and advice. */
export interface HostKeyNotice {
  readonly severity: 'high';
  readonly title: string;
  readonly advice: readonly string[];
}

const NOTICE: HostKeyNotice = Object.freeze({
  severity: 'high',
  title: 'SFTP host key changed',
  advice: Object.freeze([
    "The partner's SFTP server showed a host key that is not pinned, so nothing was sent (not even credentials).",
    'Either the partner rotated its host key, or someone is intercepting the connection (man-in-the-middle).',
    'Confirm the new fingerprint with the partner out of band (phone, a known contact), never from this connection alone.',
    "Then add it to the destination's host_key_fingerprints (SFTP_HOST_KEY_FINGERPRINTS for the seed's sftp block), " +
      'keep the old pin until the partner confirms the switch, and run the commands below.',
  ]),
});

/** The host-key notice of a failed upload whose cause is a host-key mismatch. */
export function hostKeyNoticeOf(event: ExportEvent): HostKeyNotice | undefined {
  return event.type === 'upload.failed' && event.error.code === HOST_KEY_MISMATCH ? NOTICE : undefined;
}
