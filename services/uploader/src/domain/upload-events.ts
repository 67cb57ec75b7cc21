import {
  deterministicEventId,
  type ErrorInfo,
  type ExportEventOf,
  type FileReady,
} from '@bq-sftp-export/contracts';

import type { LedgerEntry } from './ledger-entry.js';

/** The events schema counts attempts from 1; Pub/Sub reports 0 when it does not count them. */
export function attemptOf(deliveryAttempt: number): number {
  return Math.max(1, deliveryAttempt);
}

/** Ids are facts about the file: a retried step re-emits the same id and consumers de-duplicate. */
function eventId(file: FileReady, type: string, ...more: string[]): string {
  return deterministicEventId(file.eventId, file.resendId ?? '', type, ...more);
}

function runFacts(file: FileReady, occurredAt: Date) {
  return {
    schemaVersion: 1 as const,
    runId: file.runId,
    exportName: file.exportName,
    configName: file.configName,
    sourceTable: file.sourceTable,
    occurredAt: occurredAt.toISOString(),
  };
}

export interface DeliveryFacts {
  readonly remotePath: string;
  readonly bytes: number;
  readonly sha256: string;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly attempt: number;
  /** Where the destination's manifest of this file goes, when it has one. */
  readonly manifestPath?: string;
}

/** `upload.delivered`: one per file (and per resend), whichever attempt delivered it. */
export function deliveredEvent(file: FileReady, facts: DeliveryFacts): ExportEventOf<'upload.delivered'> {
  return {
    ...runFacts(file, facts.finishedAt),
    eventId: eventId(file, 'upload.delivered'),
    type: 'upload.delivered',
    destination: file.destination,
    fileName: file.fileName,
    remotePath: facts.remotePath,
    byteSize: facts.bytes,
    sha256: facts.sha256,
    rowCount: file.rowCount,
    window: file.window,
    ...(file.lastExportedValue === undefined ? {} : { lastExportedValue: file.lastExportedValue }),
    fileEventId: file.eventId,
    attempt: facts.attempt,
    startedAt: facts.startedAt.toISOString(),
    durationMs: Math.max(0, facts.finishedAt.getTime() - facts.startedAt.getTime()),
    ...(file.resendId === undefined ? {} : { resendId: file.resendId }),
    ...(facts.manifestPath === undefined ? {} : { manifestPath: facts.manifestPath }),
  };
}

/** `upload.duplicate`: this `file.ready` was already delivered (`original`); one per delivery attempt. */
export function duplicateEvent(
  file: FileReady,
  original: LedgerEntry,
  now: Date,
  attempt: number,
): ExportEventOf<'upload.duplicate'> {
  const delivered = original.delivered;
  return {
    ...runFacts(file, now),
    eventId: eventId(file, 'upload.duplicate', String(attempt)),
    type: 'upload.duplicate',
    attempt,
    destination: delivered.destination,
    fileName: delivered.fileName,
    remotePath: delivered.remotePath,
    byteSize: delivered.byteSize,
    sha256: delivered.sha256,
    rowCount: file.rowCount,
    window: file.window,
    ...(file.lastExportedValue === undefined ? {} : { lastExportedValue: file.lastExportedValue }),
    fileEventId: file.eventId,
    original: {
      deliveredAt: delivered.occurredAt,
      runId: delivered.runId,
      ...(delivered.resendId === undefined ? {} : { resendId: delivered.resendId }),
    },
  };
}

/**
 * `upload.failed`: one per failed attempt; `final` (and `error.retryable: false`, for readers
 * that predate `final`) when no retry follows.
 */
export function failedEvent(
  file: FileReady,
  error: ErrorInfo,
  now: Date,
  attempt: number,
  final: boolean,
): ExportEventOf<'upload.failed'> {
  return {
    ...runFacts(file, now),
    eventId: eventId(file, 'upload.failed', String(attempt)),
    type: 'upload.failed',
    attempt,
    destination: file.destination,
    fileName: file.fileName,
    remoteDirectory: file.remoteDirectory,
    fileEventId: file.eventId,
    ...(file.resendId === undefined ? {} : { resendId: file.resendId }),
    error: final ? { ...error, retryable: false } : error,
    final,
  };
}
