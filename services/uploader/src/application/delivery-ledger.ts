import { parseGcsUri, type BlobRef, type BlobStore } from '@bq-sftp-export/cloud';
import type { FileReady } from '@bq-sftp-export/contracts';
import { AppError, type Clock, type Logger } from '@bq-sftp-export/runtime';

import { claimIsLive, newClaim, releasedClaim } from '../domain/delivery-claim.js';
import {
  parseLedgerEntry,
  parseManifestRecord,
  type LedgerEntry,
  type ManifestRecord,
} from '../domain/ledger-entry.js';
import {
  ledgerKeyOf,
  ledgerObjectNames,
  manifestRecordNameFor,
  recordNameFor,
} from '../domain/ledger-key.js';

export const LEDGER_ENTRY_INVALID = 'LEDGER_ENTRY_INVALID';
export const DELIVERY_CLAIM_LOST = 'DELIVERY_CLAIM_LOST';

export interface DeliveryLedgerOptions {
  /** How long a claim keeps other deliveries of the same file out unless renewed. Default 60 s. */
  readonly claimTtlMs?: number;
}

/** A claim held on one file's ledger key. */
export interface HeldClaim {
  /**
   * Runs `work` while renewing the claim (every third of its lifetime). `work`'s signal aborts
   * when `signal` does or when the claim is lost to another holder.
   */
  whileHeld<T>(signal: AbortSignal, work: (signal: AbortSignal) => Promise<T>): Promise<T>;
  /** Lets the claim expire now (best effort: an unreleased claim expires by itself). */
  release(): Promise<void>;
}

/**
 * The delivery ledger (the design's store 2): one JSON object per delivered file in the staged
 * object's bucket, created with `ifGenerationMatch=0`, keyed on (config, export, run, file
 * name, sha256); resends under the same key by `resendId`. Next to it, a short-lived claim
 * (compare-and-swap on its generation) keeps concurrent deliveries of one file apart.
 */
export class DeliveryLedger {
  private readonly claimTtlMs: number;

  constructor(
    private readonly blobs: BlobStore,
    private readonly clock: Clock,
    private readonly logger: Logger,
    options: DeliveryLedgerOptions = {},
  ) {
    this.claimTtlMs = options.claimTtlMs ?? 60_000;
  }

  /** The record this `file.ready` is checked against: the delivery's, or for a resend its own. */
  async lookup(file: FileReady): Promise<LedgerEntry | undefined> {
    const ref = this.ref(file, recordNameFor(file));
    const stored = await this.blobs.readJson(ref);
    if (stored === undefined) return undefined;
    const parsed = parseLedgerEntry(stored.value);
    if (!parsed.ok) throw invalidRecord(ref, parsed.problem);
    return parsed.entry;
  }

  /**
   * Records a delivery, create-only. When a record already exists (a concurrent delivery won),
   * that one is kept and returned: the ledger, not this attempt, says what was delivered.
   */
  async record(file: FileReady, entry: LedgerEntry): Promise<LedgerEntry> {
    const ref = this.ref(file, recordNameFor(file));
    const written = await this.blobs.writeJson(ref, entry, '0');
    if (written.kind === 'written') return entry;
    return (await this.lookup(file)) ?? entry;
  }

  /** The record of this delivery's manifest, once written. */
  async manifestRecord(file: FileReady): Promise<ManifestRecord | undefined> {
    const ref = this.ref(file, manifestRecordNameFor(file));
    const stored = await this.blobs.readJson(ref);
    if (stored === undefined) return undefined;
    const parsed = parseManifestRecord(stored.value);
    if (!parsed.ok) throw invalidRecord(ref, parsed.problem);
    return parsed.record;
  }

  /** Records that the manifest is on the server, create-only: a record already there is kept. */
  async recordManifest(file: FileReady, record: ManifestRecord): Promise<void> {
    await this.blobs.writeJson(this.ref(file, manifestRecordNameFor(file)), record, '0');
  }

  /** Takes the file's claim for `holder`; undefined while another holder's claim is live. */
  async claim(file: FileReady, holder: string): Promise<HeldClaim | undefined> {
    const ref = this.ref(file, ledgerObjectNames(ledgerKeyOf(file)).claim);
    const stored = await this.blobs.readJson(ref);
    if (stored !== undefined && claimIsLive(stored.value, this.clock.now())) return undefined;
    let claim = newClaim(holder, file.eventId, this.clock.now(), this.claimTtlMs);
    const taken = await this.blobs.writeJson(ref, claim, stored?.generation ?? '0');
    if (taken.kind === 'conflict') return undefined;
    let generation = taken.generation;

    const renew = async (): Promise<boolean> => {
      claim = newClaim(holder, file.eventId, this.clock.now(), this.claimTtlMs);
      const renewed = await this.blobs.writeJson(ref, claim, generation);
      if (renewed.kind === 'conflict') return false;
      generation = renewed.generation;
      return true;
    };

    return {
      whileHeld: async (signal, work) => {
        const lost = new AbortController();
        let renewing: Promise<void> = Promise.resolve();
        const timer = setInterval(
          () => {
            renewing = renew().then(
              (kept) => {
                if (!kept)
                  lost.abort(
                    new AppError('the delivery claim was taken over by another uploader', {
                      code: DELIVERY_CLAIM_LOST,
                      retryable: true,
                    }),
                  );
              },
              (error: unknown) => this.logger.warn('could not renew the delivery claim', { err: error }),
            );
          },
          Math.max(1, Math.floor(this.claimTtlMs / 3)),
        );
        try {
          return await work(AbortSignal.any([signal, lost.signal]));
        } finally {
          clearInterval(timer);
          await renewing; // so release() compares against the latest generation
        }
      },
      release: async () => {
        try {
          await this.blobs.writeJson(ref, releasedClaim(claim, this.clock.now()), generation);
        } catch (error) {
          this.logger.warn('could not release the delivery claim', { err: error });
        }
      },
    };
  }

  private ref(file: FileReady, name: string): BlobRef {
    return { bucket: parseGcsUri(file.gcs.uri).bucket, name };
  }
}

function invalidRecord(ref: BlobRef, problem: string): AppError {
  return new AppError(`ledger record gs://${ref.bucket}/${ref.name} is invalid: ${problem}`, {
    code: LEDGER_ENTRY_INVALID,
    retryable: false,
  });
}
