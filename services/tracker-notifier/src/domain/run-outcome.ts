import type { ExportEvent } from '@bq-sftp-export/contracts';

import { isFinalFailure } from './final-failure.js';

/** How a run ended, as far as one event tells. */
export type RunResult = 'success' | 'failure';

/** What a notification announces: a recovery is a success after the export last failed. */
export type NotificationOutcome = 'success' | 'failure' | 'recovery';

/**
 * The run result an event settles, if any. A run is one export's run with one file: it succeeds
 * when its file is delivered, or when its window is empty (nothing to deliver, watermark moved);
 * it fails as soon as a step fails for good. Every other event (started, staged, skipped, a
 * duplicate delivery, a failure that will be retried, notifications) settles nothing.
 */
export function runResultOf(event: ExportEvent): RunResult | undefined {
  switch (event.type) {
    case 'upload.delivered':
    case 'extract.empty':
      return 'success';
    case 'extract.failed':
    case 'upload.failed':
      return isFinalFailure(event) ? 'failure' : undefined;
    case 'extract.started':
    case 'extract.staged':
    case 'extract.skipped':
    case 'upload.duplicate':
    case 'notification.sent':
    case 'notification.failed':
      return undefined;
  }
}

/** Whether the config asks for this outcome: a recovery goes to whoever hears of failures or successes. */
export function isWanted(
  outcome: NotificationOutcome,
  settings: { readonly onSuccess: boolean; readonly onFailure: boolean },
): boolean {
  if (outcome === 'success') return settings.onSuccess;
  if (outcome === 'failure') return settings.onFailure;
  return settings.onFailure || settings.onSuccess;
}
