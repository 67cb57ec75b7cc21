import type { ExportEvent } from '@bq-sftp-export/contracts';
import { isAppError, Outcome } from '@bq-sftp-export/runtime';
import type { Clock, HandlerOutcome, Logger } from '@bq-sftp-export/runtime';

import { renderSlack } from '../domain/render-slack.js';
import { runNotificationOf } from '../domain/run-notification.js';
import { sendOnce } from './once-only-send.js';
import type { ExportConfigs } from './ports/export-configs.js';
import type { NotificationKey, NotificationLedger } from './ports/notification-ledger.js';
import type { SlackSender } from './ports/notifiers.js';

/** Codes of a request refused because its config could not be read. */
const CONFIG_REFUSALS = new Set(['CONFIG_NOT_FOUND', 'CONFIG_INVALID', 'CONFIG_NAME_INVALID']);

/**
 * Whether an event the tracker cannot read the config of is itself the producer's report of
 * that config refusal (a final `extract.failed` or `upload.failed` with a config code): then
 * there is no history table and no target to announce it to, and dead-lettering it would hide
 * it again.
 */
export function isConfigRefusal(event: ExportEvent, error: unknown): boolean {
  return (
    (event.type === 'extract.failed' || event.type === 'upload.failed') &&
    CONFIG_REFUSALS.has(event.error.code) &&
    isAppError(error) &&
    !error.retryable
  );
}

/**
 * Announces a config refusal whose config cannot be read: logged at error level (config, export,
 * code and message, never a secret), and posted once to the global fallback Slack webhook
 * (`ALERT_FALLBACK_SLACK_WEBHOOK_URL`) when one is set. No history row can be written (the
 * config names the table). The event is acked: the request itself is in the dead letter.
 */
export class RefusalAlerter {
  constructor(
    private readonly configs: ExportConfigs,
    readonly ledger: NotificationLedger,
    private readonly slack: SlackSender,
    readonly clock: Clock,
  ) {}

  async alert(event: ExportEvent, signal: AbortSignal, logger: Logger): Promise<HandlerOutcome> {
    if (event.type !== 'extract.failed' && event.type !== 'upload.failed') return Outcome.ack();
    const fields = {
      configName: event.configName,
      exportName: event.exportName,
      runId: event.runId,
      code: event.error.code,
      reason: event.error.message,
    };
    const webhook = this.configs.fallbackSlackWebhook();
    if (webhook === undefined) {
      logger.error('config refused and no notification target known: not announced', fields);
      return Outcome.ack();
    }
    logger.error('config refused: announced on the fallback Slack channel', fields);
    const key: NotificationKey = {
      configName: event.configName,
      exportName: event.exportName,
      runId: event.runId,
      result: 'failure',
      channel: 'slack',
    };
    await sendOnce(
      this,
      key,
      { outcome: 'failure', eventId: event.eventId },
      () => this.slack.post(renderSlack(runNotificationOf(event, 'failure')), webhook, signal),
      signal,
      logger,
    );
    return Outcome.ack();
  }
}
