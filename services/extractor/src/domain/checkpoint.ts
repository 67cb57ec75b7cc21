import { z } from 'zod';

import {
  formatInstant,
  parseInstant,
  type ExportMode,
  type ExportWindow,
  type Micros,
} from '@bq-sftp-export/export-domain';

/**
 * The checkpoint object of one export (design store 1): the committed watermark and the lease
 * of the run in progress, in one small JSON document written only by compare-and-swap on its
 * generation. Instants are ISO text with six fraction digits (`formatInstant`), so the
 * document is readable and exact to the microsecond.
 */
export interface CheckpointDocument {
  readonly schemaVersion: 1;
  readonly configName: string;
  readonly exportName: string;
  /** The last committed incremental window's exclusive upper bound; null before the first. */
  readonly committed: CommittedWatermark | null;
  /** Runs that finished (any mode), newest last, so a redelivered request is recognised. */
  readonly completedRunIds: readonly string[];
  readonly lease: RunLease | null;
}

export interface CommittedWatermark {
  readonly high: string;
  readonly runId: string;
  readonly committedAt: string;
  /**
   * The committed run's snapshot (its query read the table as of this time), so the next run can
   * count rows that arrived below the watermark since. Absent in checkpoints written before it.
   */
  readonly snapshot?: string | undefined;
}

/** Everything a rerun of the same run needs to produce the same object and the same file name. */
export interface RunLease {
  readonly runId: string;
  readonly expiresAt: string;
  readonly runStartedAt: string;
  readonly snapshot: string;
  readonly window: StoredWindow;
  /** True once `file.ready` went out: the run must be finished, never abandoned. */
  readonly announced: boolean;
}

export interface StoredWindow {
  readonly mode: ExportMode;
  readonly low: string | null;
  readonly high: string;
  readonly scanLow: string | null;
}

/** How many finished run ids the document remembers. */
export const COMPLETED_RUNS_KEPT = 50;

const instant = z.string().min(20).max(40);
const windowSchema = z.object({
  mode: z.enum(['incremental', 'full', 'backfill']),
  low: instant.nullable(),
  high: instant,
  scanLow: instant.nullable(),
});
const documentSchema = z.object({
  schemaVersion: z.literal(1),
  configName: z.string(),
  exportName: z.string(),
  committed: z
    .object({ high: instant, runId: z.string(), committedAt: instant, snapshot: instant.optional() })
    .nullable(),
  completedRunIds: z.array(z.string()).max(1000),
  lease: z
    .object({
      runId: z.string(),
      expiresAt: instant,
      runStartedAt: instant,
      snapshot: instant,
      window: windowSchema,
      announced: z.boolean(),
    })
    .nullable(),
});

/** Parses a stored document; `undefined` when it is not one (the caller reports it). */
export function parseCheckpointDocument(value: unknown): CheckpointDocument | undefined {
  const parsed = documentSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

export function emptyCheckpoint(configName: string, exportName: string): CheckpointDocument {
  return { schemaVersion: 1, configName, exportName, committed: null, completedRunIds: [], lease: null };
}

export function committedHigh(document: CheckpointDocument): Micros | null {
  return document.committed === null ? null : parseInstant(document.committed.high, 'checkpoint.high');
}

/** The snapshot of the last committed run; null before the first, or in an older checkpoint. */
export function committedSnapshot(document: CheckpointDocument): Micros | null {
  const snapshot = document.committed?.snapshot;
  return snapshot === undefined ? null : parseInstant(snapshot, 'checkpoint.snapshot');
}

export function storeWindow(window: ExportWindow): StoredWindow {
  const text = (value: Micros | null): string | null => (value === null ? null : formatInstant(value));
  return {
    mode: window.mode,
    low: text(window.low),
    high: formatInstant(window.high),
    scanLow: text(window.scanLow),
  };
}

export function loadWindow(stored: StoredWindow): ExportWindow {
  const value = (text: string | null): Micros | null =>
    text === null ? null : parseInstant(text, 'lease.window');
  return {
    mode: stored.mode,
    low: value(stored.low),
    high: parseInstant(stored.high, 'lease.window'),
    scanLow: value(stored.scanLow),
  };
}

/**
 * What a run may do with the export's checkpoint:
 * - `done`: this run id already finished (a redelivered request): nothing to do;
 * - `resume`: continue the leased run with its recorded start, snapshot and window — the same
 *   run redelivered, or a crashed incremental run whose lease expired (its window must be
 *   finished before any later window, or a file could be announced twice);
 * - `busy`: another run holds a live lease (or a crashed incremental run waits to be resumed
 *   and this request is not incremental);
 * - `fresh`: no lease (or an expired one that need not be resumed): plan a new run.
 */
export type LeaseDecision =
  | { readonly kind: 'done' }
  | { readonly kind: 'resume'; readonly lease: RunLease }
  | { readonly kind: 'busy'; readonly holder: string }
  | { readonly kind: 'fresh' };

export function decideLease(
  document: CheckpointDocument,
  runId: string,
  mode: ExportMode,
  now: Micros,
): LeaseDecision {
  if (document.completedRunIds.includes(runId)) return { kind: 'done' };
  const lease = document.lease;
  if (lease === null) return { kind: 'fresh' };
  if (lease.runId === runId) return { kind: 'resume', lease };
  const expired = parseInstant(lease.expiresAt, 'lease.expiresAt') <= now;
  if (!expired) return { kind: 'busy', holder: lease.runId };
  if (lease.window.mode !== 'incremental') return { kind: 'fresh' };
  // A crashed incremental run is finished by the next incremental request; a full or backfill
  // request waits for that, so the pending window is never forgotten.
  return mode === 'incremental' ? { kind: 'resume', lease } : { kind: 'busy', holder: lease.runId };
}

/**
 * The document with the run finished: lease gone, run remembered, and when `newHigh` is given
 * the watermark moved and the run's `snapshot` (the lease's) kept with it.
 */
export function finishRun(
  document: CheckpointDocument,
  runId: string,
  finishedAt: Micros,
  newHigh: Micros | null,
  snapshot?: string,
): CheckpointDocument {
  const completedRunIds = [...document.completedRunIds.filter((id) => id !== runId), runId].slice(
    -COMPLETED_RUNS_KEPT,
  );
  const committed =
    newHigh === null
      ? document.committed
      : {
          high: formatInstant(newHigh),
          runId,
          committedAt: formatInstant(finishedAt),
          ...(snapshot === undefined ? {} : { snapshot }),
        };
  return { ...document, committed, completedRunIds, lease: null };
}
