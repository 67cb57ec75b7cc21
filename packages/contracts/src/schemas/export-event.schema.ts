import { z } from 'zod';

import {
  byteCountSchema,
  compressionSchema,
  errorInfoSchema,
  eventIdSchema,
  exportModeSchema,
  fileFormatSchema,
  fileNameSchema,
  gcsGenerationSchema,
  gcsUriSchema,
  instantSchema,
  nameSchema,
  opaqueIdSchema,
  remoteDirectorySchema,
  runFactsFields,
  sha256HexSchema,
  windowSchema,
} from './common.schema.js';

const attemptSchema = z.number().int('expected an integer').min(1, 'expected an attempt >= 1');
const durationSchema = z.number().int('expected an integer').nonnegative('expected a duration >= 0');

/**
 * On a failure event: `true` when no retry follows (a permanent error, or the last delivery
 * attempt), `false` when the step will be retried. Optional: events published before the field
 * existed lack it, and readers then infer it from `error.retryable` and `attempt`.
 */
const finalSchema = z.boolean().optional();

/** Fields every event carries: enough for one history row together with the kind's own figures. */
const eventBase = {
  ...runFactsFields,
  occurredAt: instantSchema,
  attempt: attemptSchema.optional(),
};

/** The staged file as the history needs it. */
const stagedFileSchema = z.object({
  fileName: fileNameSchema,
  gcsUri: gcsUriSchema,
  generation: gcsGenerationSchema,
  byteSize: byteCountSchema,
  sha256: sha256HexSchema,
  rowCount: byteCountSchema,
  format: fileFormatSchema,
  compression: compressionSchema,
});

/** Where a file went on the partner's server. */
const deliverySchema = {
  destination: nameSchema,
  fileName: fileNameSchema,
  remotePath: z.string().min(1).max(1280),
  byteSize: byteCountSchema,
  sha256: sha256HexSchema,
  rowCount: byteCountSchema.optional(),
  window: windowSchema.optional(),
  /** The file's `last_exported_value` (from `file.ready`), so the delivery's history row has it. */
  lastExportedValue: z.string().max(64).optional(),
  /** The `file.ready` event this delivery answers. */
  fileEventId: eventIdSchema,
};

/**
 * Rows that arrived below the watermark since the previous committed run (an incremental run
 * only): their timestamp is below the window, so no window reads them. Net of rows deleted below
 * the watermark (negative when those outnumber them). `null`: unknown, `lateRowsReason` says why.
 */
const lateRowsFields = {
  lateRows: z.number().int('expected an integer').nullable().optional(),
  lateRowsReason: z.enum(['no_previous_snapshot', 'previous_snapshot_expired', 'count_failed']).optional(),
};

export const extractStartedSchema = z.object({
  ...eventBase,
  type: z.literal('extract.started'),
  mode: exportModeSchema,
  window: windowSchema,
  requestId: opaqueIdSchema.optional(),
});

export const extractStagedSchema = z.object({
  ...eventBase,
  type: z.literal('extract.staged'),
  mode: exportModeSchema,
  window: windowSchema,
  startedAt: instantSchema,
  file: stagedFileSchema,
  /** The seed's `last_exported_value`: the highest `timestamp_column` value in the file. */
  lastExportedValue: z.string().max(64).optional(),
  ...lateRowsFields,
});

export const extractEmptySchema = z.object({
  ...eventBase,
  type: z.literal('extract.empty'),
  mode: exportModeSchema,
  window: windowSchema,
  startedAt: instantSchema,
  ...lateRowsFields,
});

export const extractSkippedSchema = z.object({
  ...eventBase,
  type: z.literal('extract.skipped'),
  /** `busy`: another run holds the export's lease. */
  reason: z.enum(['busy']),
  leaseHolderRunId: opaqueIdSchema.optional(),
});

export const extractFailedSchema = z.object({
  ...eventBase,
  type: z.literal('extract.failed'),
  mode: exportModeSchema.optional(),
  window: windowSchema.optional(),
  startedAt: instantSchema.optional(),
  error: errorInfoSchema,
  final: finalSchema,
});

export const uploadDeliveredSchema = z.object({
  ...eventBase,
  ...deliverySchema,
  type: z.literal('upload.delivered'),
  attempt: attemptSchema,
  startedAt: instantSchema,
  durationMs: durationSchema,
  resendId: opaqueIdSchema.optional(),
  /** Where the destination's manifest (or marker) of this file is written, when it has one. */
  manifestPath: z.string().min(1).max(1280).optional(),
});

export const uploadDuplicateSchema = z.object({
  ...eventBase,
  ...deliverySchema,
  type: z.literal('upload.duplicate'),
  /** The delivery already recorded in the ledger. */
  original: z.object({
    deliveredAt: instantSchema,
    runId: opaqueIdSchema,
    resendId: opaqueIdSchema.optional(),
  }),
});

export const uploadFailedSchema = z.object({
  ...eventBase,
  type: z.literal('upload.failed'),
  attempt: attemptSchema,
  destination: nameSchema,
  fileName: fileNameSchema,
  remoteDirectory: remoteDirectorySchema,
  fileEventId: eventIdSchema,
  resendId: opaqueIdSchema.optional(),
  error: errorInfoSchema,
  final: finalSchema,
});

const notificationFields = {
  channel: z.enum(['email', 'slack']),
  /** The run outcome the notification was about. */
  outcome: z.enum(['success', 'failure', 'recovery']),
};

export const notificationSentSchema = z.object({
  ...eventBase,
  ...notificationFields,
  type: z.literal('notification.sent'),
});

export const notificationFailedSchema = z.object({
  ...eventBase,
  ...notificationFields,
  type: z.literal('notification.failed'),
  error: errorInfoSchema,
});

/**
 * `export.events` v1: what happened in a run, one fact per event, discriminated on `type`.
 * Tracker-notifier turns each into one history row. Tolerant reader: unknown fields dropped.
 */
export const exportEventV1Schema = z.discriminatedUnion('type', [
  extractStartedSchema,
  extractStagedSchema,
  extractEmptySchema,
  extractSkippedSchema,
  extractFailedSchema,
  uploadDeliveredSchema,
  uploadDuplicateSchema,
  uploadFailedSchema,
  notificationSentSchema,
  notificationFailedSchema,
]);

export type ExportEvent = z.output<typeof exportEventV1Schema>;
export type ExportEventType = ExportEvent['type'];
/** One event kind, e.g. `ExportEventOf<'upload.delivered'>`. */
export type ExportEventOf<T extends ExportEventType> = Extract<ExportEvent, { type: T }>;

/** Every event type, in lifecycle order. */
export const EXPORT_EVENT_TYPES: readonly ExportEventType[] = exportEventV1Schema.options.map(
  (option) => option.shape.type.value,
);
