import type { FileReady } from '@bq-sftp-export/contracts';

import type { LedgerEntry } from './ledger-entry.js';

/**
 * What to do with a `file.ready`, given the ledger record it is checked against (the delivery's,
 * or for a resend the resend's own): already delivered → a duplicate, acknowledged without
 * uploading; otherwise upload, recorded as a delivery or as a resend.
 */
export type DeliveryDecision =
  | { readonly kind: 'duplicate'; readonly original: LedgerEntry }
  | { readonly kind: 'deliver'; readonly recordAs: 'delivery' | 'resend' };

export function decideDelivery(file: FileReady, recorded: LedgerEntry | undefined): DeliveryDecision {
  if (recorded !== undefined) return { kind: 'duplicate', original: recorded };
  return { kind: 'deliver', recordAs: file.resendId === undefined ? 'delivery' : 'resend' };
}
