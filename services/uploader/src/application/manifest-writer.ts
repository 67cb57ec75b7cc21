import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { Readable } from 'node:stream';

import { manifestNameCollision, renderManifestName, type ManifestFormat } from '@bq-sftp-export/config';
import type { FileReady } from '@bq-sftp-export/contracts';
import { AppError, Clock, isAppError, type Logger } from '@bq-sftp-export/runtime';
import { inject, injectable } from 'inversify';

import type { LedgerEntry } from '../domain/ledger-entry.js';
import { manifestText } from '../domain/manifest-text.js';
import { defaultTempNamePattern, type SftpDestination } from '../domain/sftp-destination.js';
import { DeliveryLedger, type HeldClaim } from './delivery-ledger.js';
import { FileTransfer } from './file-transfer.js';

export const MANIFEST_NAME_INVALID = 'MANIFEST_NAME_INVALID';

/** Where one delivered file's manifest goes, decided before the file is uploaded. */
export interface ManifestPlan {
  readonly format: ManifestFormat;
  /** In the data file's directory. */
  readonly remotePath: string;
}

/**
 * The destination's manifest (config `manifest`): planned before the data file is uploaded,
 * written after the delivery is in the ledger, through the same atomic `FileTransfer` (temporary
 * name, exclusive create, size and sha256 checked, rename) — never encrypted — and recorded
 * create-only next to the delivery. Its content depends on the recorded delivery only, so a
 * later attempt writes the same bytes: one already there compares identical and is kept.
 */
@injectable()
export class ManifestWriter {
  constructor(
    @inject(FileTransfer) private readonly transfer: FileTransfer,
    @inject(DeliveryLedger) private readonly ledger: DeliveryLedger,
    @inject(Clock) private readonly clock: Clock,
  ) {}

  /**
   * The manifest of `file` at `destination`, or undefined when it writes none. `{file}` is the
   * name the data file gets on the server (with the PGP suffix). A name that is unsafe or that
   * meets the data file's name or temporary name is `MANIFEST_NAME_INVALID` (permanent).
   */
  plan(file: FileReady, destination: SftpDestination): ManifestPlan | undefined {
    const { manifest } = destination;
    if (manifest === undefined) return undefined;
    const dataName = `${file.fileName}${destination.encryption?.fileSuffix ?? ''}`;
    const manifestName = renderManifestName(manifest.nameTemplate, {
      file: dataName,
      exportName: file.exportName,
      runId: file.runId,
      window: file.window,
    });
    const collision = manifestNameCollision({
      manifestName,
      dataName,
      tempName: destination.tempNamePattern ?? defaultTempNamePattern,
      runId: file.runId,
    });
    if (collision !== undefined) {
      throw new AppError(`destination "${file.destination}" manifest.name: ${collision}`, {
        code: MANIFEST_NAME_INVALID,
        retryable: false,
      });
    }
    const directory = destination.path === '' ? '.' : destination.path;
    return { format: manifest.format, remotePath: posix.join(directory, manifestName) };
  }

  /** True when `entry`'s delivery has a manifest that is not recorded as written yet. */
  async pending(file: FileReady, entry: LedgerEntry): Promise<boolean> {
    return entry.manifest !== undefined && (await this.ledger.manifestRecord(file)) === undefined;
  }

  /**
   * Writes `entry`'s manifest unless it is recorded already, while `claim` is held (so no other
   * delivery of the file writes the same temporary name), then records it. A failure keeps the
   * transfer's code and retry verdict, its message naming the manifest.
   */
  async complete(
    file: FileReady,
    entry: LedgerEntry,
    destination: SftpDestination,
    claim: HeldClaim,
    signal: AbortSignal,
    logger: Logger,
  ): Promise<void> {
    const { manifest } = entry;
    if (manifest === undefined || (await this.ledger.manifestRecord(file)) !== undefined) return;
    const bytes = Buffer.from(manifestText(manifest.format, file, entry.delivered), 'utf8');
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const { encryption: _plain, ...unencrypted } = destination;
    const result = await claim
      .whileHeld(signal, (held) =>
        this.transfer.upload({
          destination: { ...unencrypted, path: posix.dirname(manifest.remotePath) },
          fileName: posix.basename(manifest.remotePath),
          source: Readable.from([bytes]),
          expectedBytes: bytes.length,
          expectedSha256: sha256,
          signal: held,
        }),
      )
      .catch((error: unknown) => {
        throw manifestFailure(manifest.remotePath, error);
      });
    await this.ledger.recordManifest(file, {
      schemaVersion: 1,
      kind: 'manifest',
      remotePath: result.remotePath,
      format: manifest.format,
      byteSize: result.bytes,
      sha256: result.sha256,
      outcome: result.outcome,
      writtenAt: this.clock.now().toISOString(),
    });
    logger.info('manifest written', {
      manifestPath: result.remotePath,
      format: manifest.format,
      outcome: result.outcome,
    });
  }
}

function manifestFailure(remotePath: string, error: unknown): unknown {
  if (!isAppError(error)) return error;
  return new AppError(`manifest ${remotePath}: ${error.message}`, {
    code: error.code,
    retryable: error.retryable,
    cause: error,
    details: error.details,
  });
}
