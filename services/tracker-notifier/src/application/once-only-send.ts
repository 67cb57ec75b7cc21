import { isAppError } from '@bq-sftp-export/runtime';
import type { Clock, Logger } from '@bq-sftp-export/runtime';

import type { NotificationKey, NotificationLedger, NotificationRecord } from './ports/notification-ledger.js';

/**
 * Sends one alert message unless the ledger has its key, and records it: `sent` after a send,
 * `abandoned` after a failure that may have gone out (not retryable), nothing after one known
 * not to have sent (a redelivery tries again). A failure is logged with its code and never
 * thrown, unless the service is shutting down (then the redelivery sends it). `label` names the
 * message in the log lines (`alert sent`, `late-rows alert failed`).
 */
export async function sendOnce(
  records: { readonly ledger: NotificationLedger; readonly clock: Clock },
  key: NotificationKey,
  record: Pick<NotificationRecord, 'outcome' | 'eventId'>,
  send: () => Promise<void>,
  signal: AbortSignal,
  logger: Logger,
  label = 'alert',
): Promise<void> {
  const fields = { channel: key.channel, key: key.result };
  if ((await records.ledger.find(key)) !== undefined) {
    logger.info(`${label} already handled, not sent again`, fields);
    return;
  }
  const write = (status: NotificationRecord['status']) =>
    records.ledger.record(key, { status, ...record, at: records.clock.now().toISOString() });
  try {
    await send();
  } catch (error) {
    if (signal.aborted) throw error;
    const code = isAppError(error) ? error.code : 'NOTIFICATION_FAILED';
    const retryable = isAppError(error) ? error.retryable : true;
    logger.error(`${label} failed`, { ...fields, code, retryable });
    if (!retryable) await write('abandoned');
    return;
  }
  await write('sent');
  logger.info(`${label} sent`, fields);
}
