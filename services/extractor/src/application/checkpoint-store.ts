import type { BlobRef, BlobStore } from '@bq-sftp-export/cloud';
import type { ExportMode, Micros } from '@bq-sftp-export/export-domain';
import { AppError } from '@bq-sftp-export/runtime';

import {
  decideLease,
  emptyCheckpoint,
  finishRun,
  parseCheckpointDocument,
  type CheckpointDocument,
  type RunLease,
} from '../domain/checkpoint.js';

/** A lease this process holds: the document as written and its generation (for the next CAS). */
export interface HeldLease {
  readonly ref: BlobRef;
  readonly document: CheckpointDocument;
  readonly generation: string;
  readonly lease: RunLease;
  /** True when the lease continues a run recorded earlier (same start, snapshot and window). */
  readonly resumed: boolean;
}

export type AcquireResult =
  | { readonly kind: 'held'; readonly held: HeldLease }
  | { readonly kind: 'busy'; readonly holder: string }
  | { readonly kind: 'done' };

export interface AcquireRequest {
  readonly configName: string;
  readonly exportName: string;
  readonly runId: string;
  readonly mode: ExportMode;
  readonly now: Micros;
  /** The new lease's expiry. */
  readonly expiresAt: string;
  /** Plans a fresh run from the document (its committed watermark); may throw a DomainError. */
  readonly plan: (document: CheckpointDocument) => Omit<RunLease, 'expiresAt' | 'runId' | 'announced'>;
}

const MAX_CONFLICTS = 8;

/** `checkpoints/<config>/<export>.json` in the staging bucket. */
export function checkpointRef(bucket: string, configName: string, exportName: string): BlobRef {
  return { bucket, name: `checkpoints/${configName}/${exportName}.json` };
}

/**
 * The checkpoint and lease of each export, on the BlobStore port. Every write is a
 * compare-and-swap on the generation read before, so two runs can never both believe they
 * hold the lease, and a crash leaves either the old document or the new one.
 */
export class CheckpointStore {
  constructor(private readonly store: BlobStore) {}

  async read(
    ref: BlobRef,
    configName: string,
    exportName: string,
  ): Promise<{
    document: CheckpointDocument;
    generation: string;
  }> {
    const stored = await this.store.readJson(ref);
    if (stored === undefined) return { document: emptyCheckpoint(configName, exportName), generation: '0' };
    const document = parseCheckpointDocument(stored.value);
    if (document === undefined) {
      throw new AppError(`checkpoint ${ref.name} is not a checkpoint document; repair or remove it`, {
        code: 'CHECKPOINT_CORRUPT',
        retryable: false,
        details: { object: ref.name },
      });
    }
    return { document, generation: stored.generation };
  }

  /** Takes (or resumes) the lease; retries the read-decide-write cycle on a lost race. */
  async acquire(ref: BlobRef, request: AcquireRequest): Promise<AcquireResult> {
    for (let attempt = 0; attempt < MAX_CONFLICTS; attempt++) {
      const { document, generation } = await this.read(ref, request.configName, request.exportName);
      const decision = decideLease(document, request.runId, request.mode, request.now);
      if (decision.kind === 'done') return { kind: 'done' };
      if (decision.kind === 'busy') return { kind: 'busy', holder: decision.holder };
      const lease: RunLease =
        decision.kind === 'resume'
          ? { ...decision.lease, expiresAt: request.expiresAt }
          : {
              ...request.plan(document),
              runId: request.runId,
              expiresAt: request.expiresAt,
              announced: false,
            };
      const next: CheckpointDocument = { ...document, lease };
      const written = await this.store.writeJson(ref, next, generation);
      if (written.kind === 'written') {
        return {
          kind: 'held',
          held: {
            ref,
            document: next,
            generation: written.generation,
            lease,
            resumed: decision.kind === 'resume',
          },
        };
      }
    }
    throw leaseContention(ref);
  }

  /** Marks the leased run as announced (`file.ready` is about to go out): it can no longer be abandoned. */
  async markAnnounced(held: HeldLease): Promise<HeldLease> {
    if (held.lease.announced) return held;
    return this.update(held, (document) => ({
      ...document,
      lease: { ...(document.lease ?? held.lease), announced: true },
    }));
  }

  /** Extends the lease to `expiresAt`. */
  async renew(held: HeldLease, expiresAt: string): Promise<HeldLease> {
    return this.update(held, (document) => ({
      ...document,
      lease: { ...(document.lease ?? held.lease), expiresAt },
    }));
  }

  /** Finishes the run: releases the lease, remembers the run, moves the watermark (and its snapshot) when given. */
  async finish(held: HeldLease, finishedAt: Micros, newHigh: Micros | null): Promise<HeldLease> {
    return this.update(held, (document) =>
      finishRun(document, held.lease.runId, finishedAt, newHigh, held.lease.snapshot),
    );
  }

  /**
   * Ends the lease now but keeps its plan (window, start, snapshot): the redelivery of a run
   * that failed transiently resumes the same window instead of planning a new one, so a run's
   * `high` is fixed once, whatever its attempts.
   */
  async expire(held: HeldLease, now: string): Promise<HeldLease> {
    return this.update(held, (document) => ({
      ...document,
      lease: { ...(document.lease ?? held.lease), expiresAt: now },
    }));
  }

  /** Drops the lease without finishing the run (a final failure before anything was announced). */
  async release(held: HeldLease): Promise<HeldLease> {
    return this.update(held, (document) => ({ ...document, lease: null }));
  }

  /**
   * Applies `change` with a compare-and-swap over the held generation. On a conflict the
   * document is read again: if the lease still names this run (a redelivery of the same run
   * renewed it), the change is applied to the new document; otherwise the lease went to
   * another run and this one must stop.
   */
  private async update(
    held: HeldLease,
    change: (document: CheckpointDocument) => CheckpointDocument,
  ): Promise<HeldLease> {
    let document = held.document;
    let generation = held.generation;
    for (let attempt = 0; attempt < MAX_CONFLICTS; attempt++) {
      const next = change(document);
      const written = await this.store.writeJson(held.ref, next, generation);
      if (written.kind === 'written') {
        return { ...held, document: next, generation: written.generation, lease: next.lease ?? held.lease };
      }
      ({ document, generation } = await this.read(
        held.ref,
        held.document.configName,
        held.document.exportName,
      ));
      if (document.lease?.runId !== held.lease.runId) throw leaseLost(held.ref, held.lease.runId);
    }
    throw leaseContention(held.ref);
  }
}

function leaseContention(ref: BlobRef): AppError {
  return new AppError(`checkpoint ${ref.name}: too many concurrent writers`, {
    code: 'CHECKPOINT_CONTENDED',
    retryable: true,
    details: { object: ref.name },
  });
}

function leaseLost(ref: BlobRef, runId: string): AppError {
  return new AppError(`checkpoint ${ref.name}: run ${runId} lost its lease to another run`, {
    code: 'LEASE_LOST',
    retryable: true,
    details: { object: ref.name, runId },
  });
}
