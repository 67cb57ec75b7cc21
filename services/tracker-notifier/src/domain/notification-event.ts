import { deterministicEventId } from '@bq-sftp-export/contracts';
import type { ErrorInfo, ExportEvent, ExportEventOf } from '@bq-sftp-export/contracts';

import type { NotificationOutcome, RunResult } from './run-outcome.js';

export interface NotificationFact {
  /** The event that settled the run. */
  readonly cause: ExportEvent;
  readonly result: RunResult;
  readonly outcome: NotificationOutcome;
  readonly channel: 'email' | 'slack';
  readonly at: Date;
  /** Absent: sent. */
  readonly error?: ErrorInfo;
}

/**
 * The `notification.sent` / `notification.failed` event of one channel for one run result,
 * with an id that is the same every time it is stated, so its history row is written once.
 */
export function notificationEventOf(
  fact: NotificationFact,
): ExportEventOf<'notification.sent'> | ExportEventOf<'notification.failed'> {
  const { cause, channel, outcome } = fact;
  const type = fact.error === undefined ? 'notification.sent' : 'notification.failed';
  const base = {
    schemaVersion: 1 as const,
    eventId: deterministicEventId(
      cause.configName,
      cause.exportName,
      cause.runId,
      type,
      fact.result,
      channel,
    ),
    runId: cause.runId,
    exportName: cause.exportName,
    configName: cause.configName,
    sourceTable: cause.sourceTable,
    occurredAt: fact.at.toISOString(),
    channel,
    outcome,
  };
  return fact.error === undefined
    ? { ...base, type: 'notification.sent' }
    : { ...base, type: 'notification.failed', error: fact.error };
}
