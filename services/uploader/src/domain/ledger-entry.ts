import type { ManifestFormat } from '@bq-sftp-export/config';
import { exportEventV1Schema, type ExportEventOf } from '@bq-sftp-export/contracts';
import { z } from 'zod';

import { formatProblems } from './format-problems.js';

const manifestFormatSchema = z.enum(['json', 'done', 'ok'] satisfies ManifestFormat[]);

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
  /**
   * The manifest that belongs to this delivery (the destination's `manifest`, when it had one):
   * written after this record, and by any later delivery of the file until its own record exists.
   */
  readonly manifest?: { readonly remotePath: string; readonly format: ManifestFormat } | undefined;
}

/** The record of a written manifest, next to its delivery's (`…/<sha256>.manifest.json`). */
export interface ManifestRecord {
  readonly schemaVersion: 1;
  readonly kind: 'manifest';
  readonly remotePath: string;
  readonly format: ManifestFormat;
  readonly byteSize: number;
  readonly sha256: string;
  /** `skipped-identical`: the same manifest was already there (an earlier attempt's). */
  readonly outcome: 'uploaded' | 'skipped-identical';
  readonly writtenAt: string;
}

const ledgerEntrySchema = z.object({
  schemaVersion: z.literal(1),
  kind: z.enum(['delivery', 'resend']),
  delivered: exportEventV1Schema.refine((event) => event.type === 'upload.delivered', {
    message: 'expected an upload.delivered event',
  }),
  outcome: z.enum(['uploaded', 'skipped-identical']),
  hostKeyFingerprint: z.string().min(1),
  manifest: z.object({ remotePath: z.string().min(1), format: manifestFormatSchema }).optional(),
});

const manifestRecordSchema = z.object({
  schemaVersion: z.literal(1),
  kind: z.literal('manifest'),
  remotePath: z.string().min(1),
  format: manifestFormatSchema,
  byteSize: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  outcome: z.enum(['uploaded', 'skipped-identical']),
  writtenAt: z.string().min(1),
});

export type ParsedLedgerEntry =
  { readonly ok: true; readonly entry: LedgerEntry } | { readonly ok: false; readonly problem: string };

/** Validates a stored record; a record that does not parse is reported, never guessed at. */
export function parseLedgerEntry(value: unknown): ParsedLedgerEntry {
  const result = ledgerEntrySchema.safeParse(value);
  if (!result.success) return { ok: false, problem: formatProblems(result.error.issues) };
  return { ok: true, entry: result.data };
}

export type ParsedManifestRecord =
  { readonly ok: true; readonly record: ManifestRecord } | { readonly ok: false; readonly problem: string };

/** Validates a stored manifest record, like `parseLedgerEntry`. */
export function parseManifestRecord(value: unknown): ParsedManifestRecord {
  const result = manifestRecordSchema.safeParse(value);
  if (!result.success) return { ok: false, problem: formatProblems(result.error.issues) };
  return { ok: true, record: result.data };
}
