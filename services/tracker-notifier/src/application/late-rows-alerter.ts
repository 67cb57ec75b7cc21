import type { ExportConfig, NotificationSecrets } from '@bq-sftp-export/config';
import type { ExportEvent } from '@bq-sftp-export/contracts';
import { isAppError, type Clock, type Logger } from '@bq-sftp-export/runtime';

import {
  lateRowsAlertOf,
  renderLateRowsEmail,
  renderLateRowsSlack,
  type LateRowsAlert,
} from '../domain/late-rows-alert.js';
import type { ExportConfigs } from './ports/export-configs.js';
import type {
  NotificationChannel,
  NotificationKey,
  NotificationLedger,
} from './ports/notification-ledger.js';
import type { EmailSender, SlackSender } from './ports/notifiers.js';
import { sendOnChannel } from './channel-send.js';
import { sendOnce } from './once-only-send.js';

const CHANNELS: readonly NotificationChannel[] = ['email', 'slack'];

/**
 * Alerts, once per run and configured channel, that rows arrived below an export's watermark
 * (an extract event with `lateRows > 0`). It goes with the config's failure notifications
 * (`on_failure`). The notification ledger keeps a redelivered event from alerting twice. A
 * failed send is logged with its code (the event is still acked, as for run notifications);
 * one that may have gone out (not retryable) is recorded as abandoned and never retried.
 */
export class LateRowsAlerter {
  constructor(
    private readonly configs: ExportConfigs,
    readonly ledger: NotificationLedger,
    readonly email: EmailSender,
    readonly slack: SlackSender,
    readonly clock: Clock,
  ) {}

  async alert(event: ExportEvent, config: ExportConfig, signal: AbortSignal, logger: Logger): Promise<void> {
    const alert = lateRowsAlertOf(event);
    if (alert === undefined) return;
    const log = logger.child({ runId: event.runId, exportName: event.exportName });
    log.warn('rows arrived below the watermark', { lateRows: alert.lateRows });
    if (!config.notifications.onFailure) {
      log.debug('late-rows alert not sent: on_failure is off');
      return;
    }
    let secrets: NotificationSecrets;
    try {
      secrets = this.configs.notificationSecrets(config);
    } catch (error) {
      log.error('late-rows alert not sent: notification secrets missing', {
        code: isAppError(error) ? error.code : 'SECRETS_MISSING',
      });
      return;
    }
    for (const channel of CHANNELS) {
      if (config.notifications[channel] === undefined) continue;
      await this.alertOnce(alert, event, channel, secrets, signal, log);
    }
  }

  private async alertOnce(
    alert: LateRowsAlert,
    event: ExportEvent,
    channel: NotificationChannel,
    secrets: NotificationSecrets,
    signal: AbortSignal,
    logger: Logger,
  ): Promise<void> {
    const key: NotificationKey = {
      configName: event.configName,
      exportName: event.exportName,
      runId: event.runId,
      result: 'late-rows',
      channel,
    };
    await sendOnce(
      this,
      key,
      { outcome: 'alert', eventId: event.eventId },
      () =>
        sendOnChannel(
          this,
          channel,
          { email: () => renderLateRowsEmail(alert), slack: () => renderLateRowsSlack(alert) },
          secrets,
          signal,
        ),
      signal,
      logger.child({ lateRows: alert.lateRows }),
      'late-rows alert',
    );
  }
}
