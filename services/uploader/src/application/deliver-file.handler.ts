import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';

import { BlobStore, parseGcsUri } from '@bq-sftp-export/cloud';
import type { FileReady } from '@bq-sftp-export/contracts';
import {
  AppError,
  Clock,
  faultPoint,
  FaultPoints,
  Outcome,
  type HandlerOutcome,
  type Logger,
  type MessageContext,
  type MessageHandler,
} from '@bq-sftp-export/runtime';
import { inject, injectable, type ServiceIdentifier } from 'inversify';

import { decideDelivery } from '../domain/delivery-decision.js';
import type { LedgerEntry } from '../domain/ledger-entry.js';
import type { SftpDestination } from '../domain/sftp-destination.js';
import { attemptOf, deliveredEvent, duplicateEvent, failedEvent } from '../domain/upload-events.js';
import { classifyUploadFailure } from '../domain/upload-failure.js';
import { DeliveryLedger, type HeldClaim } from './delivery-ledger.js';
import { DestinationResolver } from './destination-resolver.js';
import { errorInfoOf } from './error-info.js';
import { ExportEventPublisher } from './export-event-publisher.js';
import { FileTransfer } from './file-transfer.js';
import { ManifestWriter } from './manifest-writer.js';

export const STAGED_OBJECT_MISSING = 'STAGED_OBJECT_MISSING';

export interface DeliverFileOptions {
  /** The subscription's delivery attempts before Pub/Sub dead-letters (`topologyOf(Topics.fileReady)`). */
  readonly maxDeliveryAttempts: number;
}

export const DeliverFileOptions: ServiceIdentifier<DeliverFileOptions> = Symbol('DeliverFileOptions');

/**
 * `file.ready` → the partner's SFTP server, exactly once per ledger key:
 * staged object inside the config's staging scope (else dead letter) → ledger lookup (duplicate → `upload.duplicate`, ack) → destination from the config → the staged
 * object, pinned to its generation → claim → upload → ledger record (create-only) → the
 * destination's manifest, if any (`ManifestWriter`) → `upload.delivered` → ack. A duplicate whose
 * manifest is not written yet writes it (under the claim) before it is acknowledged. Failures
 * publish `upload.failed` and retry or dead-letter (README).
 */
@injectable()
export class DeliverFileHandler {
  constructor(
    @inject(DeliveryLedger) private readonly ledger: DeliveryLedger,
    @inject(DestinationResolver) private readonly destinations: DestinationResolver,
    @inject(BlobStore) private readonly blobs: BlobStore,
    @inject(FileTransfer) private readonly transfer: FileTransfer,
    @inject(ManifestWriter) private readonly manifests: ManifestWriter,
    @inject(ExportEventPublisher) private readonly events: ExportEventPublisher,
    @inject(Clock) private readonly clock: Clock,
    @inject(DeliverFileOptions) private readonly options: DeliverFileOptions,
  ) {}

  /** The runtime's `MessageHandler` for `file.ready`. */
  readonly handle: MessageHandler<FileReady> = (file, context) => this.#handle(file, context);

  async #handle(file: FileReady, context: MessageContext): Promise<HandlerOutcome> {
    const attempt = attemptOf(context.deliveryAttempt);
    const logger = context.logger.child({
      runId: file.runId,
      exportName: file.exportName,
      fileName: file.fileName,
      fileEventId: file.eventId,
      ...(file.resendId === undefined ? {} : { resendId: file.resendId }),
    });
    try {
      // Before anything reads or writes a bucket the event names (the ledger lives beside the file).
      await this.destinations.checkStagedObject(file);
      const decision = decideDelivery(file, await this.ledger.lookup(file));
      if (decision.kind === 'duplicate')
        return await this.#duplicate(file, decision.original, attempt, context, logger);
      return await this.#deliver(file, decision.recordAs, attempt, context, logger);
    } catch (error) {
      if (context.signal.aborted) {
        logger.warn('upload abandoned: the service is shutting down');
        return Outcome.retry('the service is shutting down');
      }
      return this.#failed(file, error, attempt, logger);
    }
  }

  async #deliver(
    file: FileReady,
    recordAs: LedgerEntry['kind'],
    attempt: number,
    context: MessageContext,
    logger: Logger,
  ): Promise<HandlerOutcome> {
    const destination = await this.destinations.resolve(file);
    const manifest = this.manifests.plan(file, destination);
    await this.#checkStagedObject(file);
    const claim = await this.ledger.claim(file, randomUUID());
    if (claim === undefined) return busy(logger);
    try {
      // The holder before us may have finished between our lookup and our claim.
      const recorded = await this.ledger.lookup(file);
      if (recorded !== undefined) {
        return await this.#duplicate(file, recorded, attempt, context, logger, { claim, destination });
      }

      const startedAt = this.clock.now();
      const result = await claim.whileHeld(context.signal, (signal) =>
        this.transfer.upload({
          destination,
          fileName: file.fileName,
          source: this.#stagedContent(file),
          expectedBytes: file.byteSize,
          expectedSha256: file.sha256,
          signal,
        }),
      );
      await faultPoint(FaultPoints.uploaderRenamed);
      const delivered = deliveredEvent(file, {
        remotePath: result.remotePath,
        bytes: result.bytes,
        sha256: result.sha256,
        startedAt,
        finishedAt: this.clock.now(),
        attempt,
        ...(manifest === undefined ? {} : { manifestPath: manifest.remotePath }),
      });
      const entry = await this.ledger.record(file, {
        schemaVersion: 1,
        kind: recordAs,
        delivered,
        outcome: result.outcome,
        hostKeyFingerprint: result.hostKeyFingerprint,
        ...(manifest === undefined ? {} : { manifest }),
      });
      await faultPoint(FaultPoints.uploaderRecorded);
      // Last, so a partner polling for the manifest finds the data file complete and recorded.
      await this.manifests.complete(file, entry, destination, claim, context.signal, logger);
      await this.events.publish(entry.delivered);
      logger.info('file delivered', {
        remotePath: entry.delivered.remotePath,
        bytes: entry.delivered.byteSize,
        durationMs: entry.delivered.durationMs,
        outcome: entry.outcome,
        recordedAs: entry.kind,
      });
      return Outcome.ack();
    } finally {
      await claim.release();
    }
  }

  /**
   * Already delivered: write the delivery's manifest if it is not yet (the delivering attempt
   * died or failed after recording), republish the recorded `upload.delivered` (same id — it may
   * never have gone out) and report the duplicate. `held`: the claim this attempt already holds.
   */
  async #duplicate(
    file: FileReady,
    original: LedgerEntry,
    attempt: number,
    context: MessageContext,
    logger: Logger,
    held?: { readonly claim: HeldClaim; readonly destination: SftpDestination },
  ): Promise<HandlerOutcome> {
    if (held !== undefined) {
      await this.manifests.complete(file, original, held.destination, held.claim, context.signal, logger);
    } else if (await this.manifests.pending(file, original)) {
      const destination = await this.destinations.resolve(file);
      const claim = await this.ledger.claim(file, randomUUID());
      if (claim === undefined) return busy(logger);
      try {
        await this.manifests.complete(file, original, destination, claim, context.signal, logger);
      } finally {
        await claim.release();
      }
    }
    await this.events.publish(original.delivered);
    await this.events.publish(duplicateEvent(file, original, this.clock.now(), attempt));
    logger.info('file already delivered; acknowledged without uploading', {
      remotePath: original.delivered.remotePath,
      deliveredAt: original.delivered.occurredAt,
    });
    return Outcome.ack();
  }

  async #failed(file: FileReady, error: unknown, attempt: number, logger: Logger): Promise<HandlerOutcome> {
    const info = errorInfoOf(error);
    const verdict = classifyUploadFailure(info, attempt, this.options.maxDeliveryAttempts);
    const final = verdict !== 'retry';
    await this.events.publish(failedEvent(file, info, this.clock.now(), attempt, final));
    const fields = { code: info.code, reason: info.message, attempt, verdict };
    if (final) logger.error('upload failed for good', fields);
    else logger.warn('upload failed; it will be retried', fields);
    return verdict === 'permanent'
      ? Outcome.deadLetter(info.code, info.message)
      : Outcome.retry(info.message);
  }

  /** The staged object must still be the generation the event names, with the announced size. */
  async #checkStagedObject(file: FileReady): Promise<void> {
    const metadata = await this.blobs.stat(parseGcsUri(file.gcs.uri));
    if (metadata?.generation !== file.gcs.generation) {
      throw new AppError(`staged object ${file.gcs.uri}#${file.gcs.generation} does not exist`, {
        code: STAGED_OBJECT_MISSING,
        retryable: false,
        details: { uri: file.gcs.uri, generation: file.gcs.generation },
      });
    }
    if (metadata.size !== file.byteSize) {
      throw new AppError(
        `staged object ${file.gcs.uri} holds ${metadata.size} bytes, the event announced ${file.byteSize}`,
        { code: 'STAGED_OBJECT_SIZE_MISMATCH', retryable: false },
      );
    }
  }

  /** The staged bytes, opened only when the transfer first reads (its errors then reach the reader). */
  #stagedContent(file: FileReady): Readable {
    const blobs = this.blobs;
    const ref = parseGcsUri(file.gcs.uri);
    const generation = file.gcs.generation;
    return Readable.from(
      (async function* () {
        let done = 0;
        for await (const chunk of blobs.openRead(ref, { generation }) as AsyncIterable<Buffer>) {
          yield chunk;
          done += chunk.length;
          await faultPoint(FaultPoints.uploaderChunkSent, { done, total: file.byteSize });
        }
      })(),
      { objectMode: false },
    );
  }
}

/** Another uploader holds the file's claim: retry later, when it has finished or its claim expired. */
function busy(logger: Logger): HandlerOutcome {
  logger.info('another delivery of this file is in progress; retrying later');
  return Outcome.retry('another delivery of this file is in progress');
}
