import { BlobStore, MessagePublisher, formatGcsUri, type BlobRef } from '@bq-sftp-export/cloud';
import type { ExportConfig, ResolvedExport } from '@bq-sftp-export/config';
import {
  decodeMessage,
  topologyOf,
  Topics,
  type ExportRequested,
  type FileReady,
} from '@bq-sftp-export/contracts';
import {
  formatInstant,
  instantFromMillis,
  isEmptyWindow,
  isTimeTravelLimit,
  nextCheckpointHigh,
  parseInstant,
  planLateRowsCount,
  type ExportWindow,
  type LateRowsReason,
  type Micros,
} from '@bq-sftp-export/export-domain';
import { AppError, Clock, faultPoint, FaultPoints, type Logger } from '@bq-sftp-export/runtime';
import { inject, injectable } from 'inversify';

import { committedHigh, committedSnapshot, loadWindow, storeWindow } from '../domain/checkpoint.js';
import { CheckpointStore, checkpointRef, type HeldLease } from './checkpoint-store.js';
import { LeaseKeeper } from './lease-keeper.js';
import { asAppError } from './errors.js';
import { ExtractorSettings } from './extractor-settings.js';
import { RowSource } from './row-source.port.js';
import { RunEvents } from './run-events.js';
import {
  exportQueryOf,
  fileReadyRecordRef,
  messageMode,
  partnerFileName,
  planRunWindow,
  requestedMode,
  stagedObjectRef,
  toMessageWindow,
} from './run-plan.js';
import { StagedFileWriter } from './stage-file.js';

export interface RunRequest {
  readonly config: ExportConfig;
  readonly exportConfig: ResolvedExport;
  readonly request: ExportRequested;
  readonly runId: string;
  readonly bucket: string;
  readonly signal?: AbortSignal | undefined;
  readonly logger: Logger;
  /** Pub/Sub's delivery attempt of the request: on the last one a transient failure is final too. */
  readonly deliveryAttempt?: number | undefined;
}

/** Attempts Pub/Sub makes at an `export.requested` before it dead-letters the message. */
const MAX_ATTEMPTS = topologyOf(Topics.exportRequests).maxDeliveryAttempts;

/** The late-row figures of an incremental run's last event (none for a full or backfill run). */
type LateRowsFields =
  | Record<string, never>
  | { readonly lateRows: number }
  | { readonly lateRows: null; readonly lateRowsReason: LateRowsReason };

/** How one export's run ended. `failed` with `retryable` nacks; without, dead-letters. */
export type RunOutcome =
  | { readonly kind: 'staged' | 'empty' | 'skipped' | 'done' }
  | { readonly kind: 'failed'; readonly error: AppError };

/**
 * One export's run: lease → window → rows → staged object → recorded and published
 * `file.ready` → `extract.staged` → checkpoint commit. Each step is durable before the next;
 * a rerun of the same run (same lease) repeats none of the completed ones' effects.
 */
@injectable()
export class ExportRunner {
  private readonly checkpoints: CheckpointStore;
  private readonly staging: StagedFileWriter;

  constructor(
    @inject(BlobStore) private readonly store: BlobStore,
    @inject(MessagePublisher) private readonly publisher: MessagePublisher,
    @inject(RowSource) private readonly rowSource: RowSource,
    @inject(Clock) private readonly clock: Clock,
    @inject(ExtractorSettings) private readonly settings: ExtractorSettings,
  ) {
    this.checkpoints = new CheckpointStore(store);
    this.staging = new StagedFileWriter(store, rowSource);
  }

  async run(run: RunRequest): Promise<RunOutcome> {
    const outcome = await this.runOnce(run);
    // A crashed run was finished first (its window precedes any new one); now this request's own.
    if (outcome.kind !== 'resumedOther') return outcome;
    const own = await this.runOnce(run);
    return own.kind === 'resumedOther' ? { kind: 'staged' } : own;
  }

  private async runOnce(run: RunRequest): Promise<RunOutcome | { readonly kind: 'resumedOther' }> {
    const { config, exportConfig, request } = run;
    let runId = run.runId;
    let events = new RunEvents(this.publisher, {
      runId,
      exportName: exportConfig.name,
      configName: config.name,
      sourceTable: exportConfig.sourceTable,
    });
    const ref = checkpointRef(run.bucket, config.name, exportConfig.name);
    let keeper: LeaseKeeper | undefined;
    try {
      const now = this.now();
      const acquired = await this.checkpoints.acquire(ref, {
        configName: config.name,
        exportName: exportConfig.name,
        runId,
        mode: requestedMode(request),
        now,
        expiresAt: this.expiry(),
        plan: (document) => ({
          runStartedAt: formatInstant(now),
          snapshot: formatInstant(now),
          window: storeWindow(planRunWindow(exportConfig, request, now, committedHigh(document))),
        }),
      });
      if (acquired.kind === 'done') {
        run.logger.info('run already finished; nothing to do');
        return { kind: 'done' };
      }
      if (acquired.kind === 'busy') {
        await events.publish(
          { type: 'extract.skipped', reason: 'busy', leaseHolderRunId: acquired.holder },
          formatInstant(now),
        );
        run.logger.info('another run holds the lease; skipped', { leaseHolderRunId: acquired.holder });
        return { kind: 'skipped' };
      }
      keeper = this.keep(acquired.held, run.logger);
      await faultPoint(FaultPoints.extractorLeaseTaken);
      if (keeper.held.lease.runId !== runId) {
        runId = keeper.held.lease.runId;
        events = new RunEvents(this.publisher, { ...events.facts, runId });
        const resumed: RunRequest = {
          ...run,
          runId,
          logger: run.logger.child({ runId, resumedFrom: run.runId }),
        };
        resumed.logger.warn('resuming a crashed run whose lease expired');
        const outcome = await this.extract(resumed, events, keeper);
        return outcome.kind === 'failed' ? outcome : { kind: 'resumedOther' };
      }
      return await this.extract(run, events, keeper);
    } catch (error) {
      return await this.fail(run, events, keeper, asAppError(error));
    } finally {
      await keeper?.stop();
    }
  }

  /** Starts renewing a taken lease (three times per lease period). */
  private keep(held: HeldLease, logger: Logger): LeaseKeeper {
    const keeper = new LeaseKeeper(this.checkpoints, held, {
      everyMs: Math.max(1, (this.settings.leaseSeconds * 1000) / 3),
      expiresAt: () => this.expiry(),
      onError: (error) => {
        logger.warn('could not renew the lease', { error });
      },
    });
    keeper.start();
    return keeper;
  }

  private expiry(): string {
    return formatInstant(this.now() + BigInt(Math.round(this.settings.leaseSeconds * 1_000_000)));
  }

  private async extract(run: RunRequest, events: RunEvents, keeper: LeaseKeeper): Promise<RunOutcome> {
    const { config, exportConfig, runId } = run;
    const held = keeper.held;
    const finish = (newHigh: Micros | null): Promise<HeldLease> =>
      keeper.apply((current) => this.checkpoints.finish(current, this.now(), newHigh));
    const window = loadWindow(held.lease.window);
    const startedAt = held.lease.runStartedAt;
    const logger = run.logger.child({ window: held.lease.window, resumed: held.resumed });
    if (isEmptyWindow(window)) {
      // low ≥ high (a clock behind the watermark, or a settle delay reaching into the last
      // window): nothing can be read and there is no valid window to report.
      await finish(null);
      logger.warn('window is empty (low >= high); nothing exported');
      return { kind: 'empty' };
    }
    const messageWindow = toMessageWindow(window);
    const mode = messageMode(window.mode);
    await events.publish(
      {
        type: 'extract.started',
        mode,
        window: messageWindow,
        ...(run.request.requestId === undefined ? {} : { requestId: run.request.requestId }),
      },
      startedAt,
    );

    const snapshot = parseInstant(held.lease.snapshot, 'lease.snapshot');
    const query = exportQueryOf(exportConfig, window, snapshot);
    const objectRef = stagedObjectRef(run.bucket, config, exportConfig, window);
    const staged = await this.staging.stage({
      ref: objectRef,
      exportConfig,
      query,
      runId,
      signal: run.signal,
    });
    await faultPoint(FaultPoints.extractorStaged);
    const newHigh =
      window.mode === 'incremental' ? nextCheckpointHigh(window, committedHigh(held.document)) : null;
    const late = await this.countLateRows(run, window, held, logger);

    if (staged.kind === 'empty') {
      // The run's last event goes out before the commit: once committed, a redelivery is `done`.
      await events.publish(
        { type: 'extract.empty', mode, window: messageWindow, startedAt, ...late },
        this.nowText(),
      );
      await finish(newHigh);
      logger.info('window is empty; no file');
      return { kind: 'empty' };
    }

    const destination = config.destinations[exportConfig.destination];
    if (destination === undefined) {
      throw new AppError(`export ${exportConfig.name} names an unknown destination`, {
        code: 'DESTINATION_UNKNOWN',
        retryable: false,
      });
    }
    const fileName = partnerFileName(exportConfig, runId, parseInstant(startedAt), window);
    const { object, figures } = staged;
    if (object.crc32c === undefined) {
      throw new AppError(`staged object ${object.name} has no CRC32C`, {
        code: 'STAGED_OBJECT_INVALID',
        retryable: true,
      });
    }
    const fileReady: FileReady = {
      schemaVersion: 1,
      eventId: events.eventId('file.ready'),
      ...events.facts,
      gcs: { uri: formatGcsUri(objectRef), generation: object.generation, crc32c: object.crc32c },
      byteSize: object.size,
      sha256: figures.sha256,
      rowCount: figures.rowCount,
      format: exportConfig.format,
      compression: exportConfig.compression,
      destination: exportConfig.destination,
      remoteDirectory: destination.path,
      fileName,
      window: messageWindow,
      mode,
      createdAt: this.nowText(),
      ...(figures.lastExportedValue === undefined ? {} : { lastExportedValue: figures.lastExportedValue }),
    };

    // From here on the run must be finished, never abandoned: the lease says so.
    await keeper.apply((current) => this.checkpoints.markAnnounced(current));
    const announced = await this.recordFileReady(
      fileReadyRecordRef(run.bucket, config.staging.prefix, runId, exportConfig.name),
      fileReady,
    );
    await events.publishFileReady(announced);
    await faultPoint(FaultPoints.extractorAnnounced);
    // Before the commit, as for extract.empty: a crash between the two re-sends the same event id.
    await events.publish(
      {
        type: 'extract.staged',
        mode,
        window: messageWindow,
        startedAt,
        file: {
          fileName: announced.fileName,
          gcsUri: announced.gcs.uri,
          generation: announced.gcs.generation,
          byteSize: announced.byteSize,
          sha256: announced.sha256,
          rowCount: announced.rowCount,
          format: announced.format,
          compression: announced.compression,
        },
        ...(figures.lastExportedValue === undefined ? {} : { lastExportedValue: figures.lastExportedValue }),
        ...late,
      },
      this.nowText(),
    );
    await finish(newHigh);
    logger.info('staged', {
      object: object.name,
      rowCount: figures.rowCount,
      byteSize: object.size,
      reused: staged.reused,
    });
    return { kind: 'staged' };
  }

  /**
   * Counts the rows that arrived below the watermark since the previous committed run (they are
   * below this window, so no run will export them). Never fails the run: a count that cannot be
   * made is reported as null with its reason, and logged.
   */
  private async countLateRows(
    run: RunRequest,
    window: ExportWindow,
    held: HeldLease,
    logger: Logger,
  ): Promise<LateRowsFields> {
    const plan = planLateRowsCount(
      { source_table: run.exportConfig.sourceTable, timestamp_column: run.exportConfig.timestampColumn },
      window,
      {
        snapshot: parseInstant(held.lease.snapshot, 'lease.snapshot'),
        previousSnapshot: committedSnapshot(held.document),
        now: this.now(),
      },
    );
    if (plan === undefined) return {};
    if (plan.kind === 'known') return { lateRows: plan.lateRows };
    let reason: LateRowsReason;
    if (plan.kind === 'unknown') {
      reason = plan.reason;
    } else {
      try {
        const lateRows = await this.rowSource.countRows(plan.query, { signal: run.signal });
        if (lateRows > 0) {
          logger.warn('rows arrived below the watermark since the previous run; no window will export them', {
            lateRows,
          });
        }
        return { lateRows };
      } catch (error) {
        run.signal?.throwIfAborted();
        const failure = asAppError(error);
        reason = isTimeTravelLimit(failure.message) ? 'previous_snapshot_expired' : 'count_failed';
        logger.warn('could not count rows that arrived below the watermark', {
          code: failure.code,
          retryable: failure.retryable,
        });
      }
    }
    logger.info('late rows not counted', { reason });
    return { lateRows: null, lateRowsReason: reason };
  }

  /** Stores the message create-only; a rerun finds the first one and announces exactly that. */
  private async recordFileReady(ref: BlobRef, fileReady: FileReady): Promise<FileReady> {
    const written = await this.store.writeJson(ref, fileReady, '0');
    if (written.kind === 'written') return fileReady;
    const stored = await this.store.readJson(ref);
    if (stored === undefined) {
      throw new AppError(`file.ready record ${ref.name} vanished`, {
        code: 'FILE_READY_RECORD_LOST',
        retryable: true,
      });
    }
    return decodeMessage('file.ready', Buffer.from(JSON.stringify(stored.value)));
  }

  private async fail(
    run: RunRequest,
    events: RunEvents,
    keeper: LeaseKeeper | undefined,
    error: AppError,
  ): Promise<RunOutcome> {
    const logger = run.logger;
    const held = keeper?.held;
    // A transient failure on Pub/Sub's last attempt is final as well: the request is nacked
    // into the dead-letter topic, and extract.failed says so (the tracker alerts on it).
    const lastAttempt = (run.deliveryAttempt ?? 0) >= MAX_ATTEMPTS;
    const final = !error.retryable || lastAttempt;
    // Once file.ready is out the run must be resumed (same window), so its lease stays. Before
    // that, a final failure drops the lease; a transient one expires it with its plan kept, so
    // the redelivery resumes the same window, start and snapshot.
    if (keeper !== undefined && held !== undefined && !held.lease.announced && held.document.lease !== null) {
      await keeper.stop();
      await keeper
        .apply((current) =>
          final ? this.checkpoints.release(current) : this.checkpoints.expire(current, this.nowText()),
        )
        .catch((releaseError: unknown) => {
          logger.warn('could not end the lease; it expires on its own', { error: releaseError });
        });
    }
    logger.error('run failed', { error, retryable: error.retryable });
    if (!final) return { kind: 'failed', error };
    const window = held === undefined ? undefined : loadWindow(held.lease.window);
    await events
      .publish(
        {
          type: 'extract.failed',
          ...(window === undefined || isEmptyWindow(window)
            ? {}
            : { mode: messageMode(window.mode), window: toMessageWindow(window) }),
          ...(held === undefined ? {} : { startedAt: held.lease.runStartedAt }),
          error: { code: error.code, message: error.message.slice(0, 2000), retryable: false },
          final,
          ...(run.deliveryAttempt === undefined ? {} : { attempt: run.deliveryAttempt }),
        },
        this.nowText(),
      )
      .catch((publishError: unknown) => {
        logger.warn('could not publish extract.failed', { error: publishError });
      });
    return { kind: 'failed', error };
  }

  private now(): Micros {
    return instantFromMillis(this.clock.now().getTime());
  }

  private nowText(): string {
    return formatInstant(this.now());
  }
}
