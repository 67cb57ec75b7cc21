import { exportEventV1Schema, type ExportEventOf } from '@bq-sftp-export/contracts';
import { z } from 'zod';

import { formatProblems } from './format-problems.js';

/**
 * One completed delivery as the ledger keeps it. The `upload.delivered` event is stored whole:
 * the ledger is written before the event is published, so when the publish is lost (a crash, a
 * Pub/Sub outage) the next delivery of the same `file.ready` republishes this very event (same
 * id; the tracker de-duplicates on it).
 */
export interface LedgerEntry {
  readonly schemaVersion: 1;
  /** `resend`: an operator's explicit resend, recorded under its `resendId`. */
  readonly kind: 'delivery' | 'resend';
  readonly delivered: ExportEventOf<'upload.delivered'>;
  /** `skipped-identical`: the same content was already at the final name (an earlier attempt's). */
  readonly outcome: 'uploaded' | 'skipped-identical';
  /** The host key the file was delivered to (`SHA256:…`). */
  readonly hostKeyFingerprint: string;
}

const ledgerEntrySchema = z.object({
  schemaVersion: z.literal(1),
  kind: z.enum(['delivery', 'resend']),
  delivered: exportEventV1Schema.refine((event) => event.type === 'upload.delivered', {
    message: 'expected an upload.delivered event',
  }),
  outcome: z.enum(['uploaded', 'skipped-identical']),
  hostKeyFingerprint: z.string().min(1),
});

export type ParsedLedgerEntry =
  { readonly ok: true; readonly entry: LedgerEntry } | { readonly ok: false; readonly problem: string };

/** Validates a stored record; a record that does not parse is reported, never guessed at. */
export function parseLedgerEntry(value: unknown): ParsedLedgerEntry {
  const result = ledgerEntrySchema.safeParse(value);
  if (!result.success) return { ok: false, problem: formatProblems(result.error.issues) };
  return { ok: true, entry: result.data };
}
