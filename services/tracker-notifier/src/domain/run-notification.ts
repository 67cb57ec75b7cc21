import type { ExportEvent, ExportWindow } from '@bq-sftp-export/contracts';

import { hostKeyNoticeOf } from './host-key-notice.js';
import { operatorCommands } from './operator-commands.js';
import type { NotificationOutcome } from './run-outcome.js';

/**
 * What a notification says about a settled run: figures only, never row values, recipients or
 * secrets. `cause.message` is the producer's error message, which the contracts guarantee
 * holds neither.
 */
export interface RunNotification {
  readonly outcome: NotificationOutcome;
  readonly exportName: string;
  readonly configName: string;
  readonly runId: string;
  readonly occurredAt: string;
  /** e.g. `delivered`, `empty window`, `extract failed`, `upload failed`. */
  readonly status: string;
  readonly rows?: number;
  readonly fileName?: string;
  readonly byteSize?: number;
  readonly durationMs?: number;
  readonly window?: ExportWindow;
  readonly attempt?: number;
  readonly cause?: { readonly code: string; readonly message: string };
  /** Exact commands the operator can run, for a failure. */
  readonly commands: readonly string[];
  /** `high` for a failure that may be an attack (a changed host key); absent: normal. */
  readonly severity?: 'high';
  /** What the failure is, in the headline: `SFTP host key changed`. */
  readonly title?: string;
  /** What the operator should check before running the commands. */
  readonly advice?: readonly string[];
}

type Details = Omit<
  RunNotification,
  | 'outcome'
  | 'exportName'
  | 'configName'
  | 'runId'
  | 'occurredAt'
  | 'commands'
  | 'severity'
  | 'title'
  | 'advice'
>;

function detailsOf(event: ExportEvent): Details {
  switch (event.type) {
    case 'upload.delivered':
      return {
        status: 'delivered',
        fileName: event.fileName,
        byteSize: event.byteSize,
        durationMs: event.durationMs,
        ...(event.rowCount === undefined ? {} : { rows: event.rowCount }),
        ...(event.window === undefined ? {} : { window: event.window }),
      };
    case 'extract.empty':
      return {
        status: 'empty window, nothing to deliver',
        rows: 0,
        window: event.window,
        durationMs: Math.max(0, Date.parse(event.occurredAt) - Date.parse(event.startedAt)),
      };
    case 'extract.failed':
      return {
        status: 'extract failed',
        cause: { code: event.error.code, message: event.error.message },
        ...(event.window === undefined ? {} : { window: event.window }),
        ...(event.attempt === undefined ? {} : { attempt: event.attempt }),
      };
    case 'upload.failed':
      return {
        status: 'upload failed',
        fileName: event.fileName,
        attempt: event.attempt,
        cause: { code: event.error.code, message: event.error.message },
      };
    default:
      return { status: event.type };
  }
}

/** The notification of a settled run, from the event that settled it. */
export function runNotificationOf(event: ExportEvent, outcome: NotificationOutcome): RunNotification {
  return Object.freeze({
    outcome,
    exportName: event.exportName,
    configName: event.configName,
    runId: event.runId,
    occurredAt: event.occurredAt,
    ...detailsOf(event),
    commands: outcome === 'failure' ? operatorCommands(event) : [],
    ...(outcome === 'failure' ? hostKeyNoticeOf(event) : undefined),
  });
}
