import type { MessagePublisher } from '@bq-sftp-export/cloud';
import type { ExportRequested } from '@bq-sftp-export/contracts';
import type { Logger, MessageContext } from '@bq-sftp-export/runtime';

import { RunEvents } from './run-events.js';
import { runIdFor } from './run-id.js';

/** The export name of a refusal that concerns the whole config (no export was named). */
export const WHOLE_CONFIG_EXPORT = '_config';
/** The source table of a refusal, which is made before any table is known. */
export const UNKNOWN_SOURCE_TABLE = '(unknown)';

/**
 * Publishes a final `extract.failed` for a request refused before any run (`CONFIG_NOT_FOUND`,
 * `CONFIG_INVALID`, `EXPORT_UNKNOWN`), one per export the request named (`_config` when it
 * named none), so the tracker records and announces it and it is not only a dead letter. The
 * run id is derived from the request as for a run, so a redelivered request states the same
 * events. The message is the refusal's own (config field paths, never a value or a secret).
 * A publish that fails is logged: the request is dead-lettered all the same.
 */
export async function publishRefusal(
  publisher: MessagePublisher,
  request: ExportRequested,
  context: MessageContext,
  refusal: { readonly code: string; readonly message: string; readonly exports?: readonly string[] },
  occurredAt: string,
  logger: Logger,
): Promise<void> {
  const names = refusal.exports ?? request.exports ?? [WHOLE_CONFIG_EXPORT];
  for (const exportName of names.length === 0 ? [WHOLE_CONFIG_EXPORT] : names) {
    const runId = runIdFor({
      configName: request.config,
      exportName,
      requestKey: request.requestId ?? context.messageId,
      requestedAt: context.publishTime,
    });
    const events = new RunEvents(publisher, {
      runId,
      exportName,
      configName: request.config,
      sourceTable: UNKNOWN_SOURCE_TABLE,
    });
    await events
      .publish(
        {
          type: 'extract.failed',
          error: { code: refusal.code, message: refusal.message.slice(0, 2000), retryable: false },
          attempt: context.deliveryAttempt,
          final: true,
        },
        occurredAt,
      )
      .catch((publishError: unknown) => {
        logger.warn('could not publish extract.failed for a refused request', {
          code: refusal.code,
          error: publishError,
        });
      });
  }
}
