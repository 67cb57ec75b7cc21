import type { ExportConfig, NotificationSecrets } from '@bq-sftp-export/config';
import type { ExportEvent } from '@bq-sftp-export/contracts';
import { AppError, isAppError } from '@bq-sftp-export/runtime';
import type { Clock, Logger } from '@bq-sftp-export/runtime';

import { renderAlertEmail, renderAlertSlack } from '../domain/render-alert.js';
import { decideRunAlerts, recentRunsKept } from '../domain/run-alerts.js';
import type { RecentRun, RunAlert } from '../domain/run-alerts.js';
import { writeOnVersion } from './compare-and-swap.js';
import { sendOnce } from './once-only-send.js';
import type { ExportConfigs } from './ports/export-configs.js';
import type {
  NotificationChannel,
  NotificationKey,
  NotificationLedger,
} from './ports/notification-ledger.js';
import { sendOnChannel } from './channel-send.js';
import type { EmailSender, SlackSender } from './ports/notifiers.js';
import type { RecentRunsStore, VersionedRecentRuns } from './ports/recent-runs-store.js';

const CHANNELS: readonly NotificationChannel[] = ['email', 'slack'];

/**
 * Raises the alerts of `notifications.alerts` for a successful run (zero rows, a volume drop or
 * spike, a stalled watermark), once per run, alert and configured channel (the notification
 * ledger), then records the run among the export's recent runs (compare-and-swap). The recent
 * runs are read only when an alert that needs them is configured. A failed send is logged with
 * its code and never fails the event, as for run notifications; one that may have gone out (not
 * retryable) is recorded as abandoned and not tried again.
 */
export class RunAlerter {
  constructor(
    private readonly configs: ExportConfigs,
    private readonly recentRuns: RecentRunsStore,
    readonly ledger: NotificationLedger,
    readonly email: EmailSender,
    readonly slack: SlackSender,
    readonly clock: Clock,
  ) {}

  async alert(event: ExportEvent, config: ExportConfig, signal: AbortSignal, logger: Logger): Promise<void> {
    const settings = config.notifications.alerts;
    if (!settings.zeroRows && recentRunsKept(settings) === 0) return;
    const incremental =
      config.exports.find((entry) => entry.name === event.exportName)?.mode === 'incremental';
    const keeps = recentRunsKept(settings) > 0;
    const stored = keeps ? await this.recentRuns.read(event.configName, event.exportName) : undefined;
    const decision = decideRunAlerts(stored?.runs ?? [], event, settings, incremental);
    for (const alert of decision.alerts) {
      logger.warn('run alert', { alert: alert.kind });
      await this.send(alert, event.eventId, config, signal, logger);
    }
    if (keeps && decision.next !== undefined) await this.commit(event, config, stored, decision.next);
  }

  private commit(
    event: ExportEvent,
    config: ExportConfig,
    stored: VersionedRecentRuns | undefined,
    first: readonly RecentRun[],
  ): Promise<void> {
    return writeOnVersion(
      first,
      stored?.version,
      (next, version) => this.recentRuns.write(event.configName, event.exportName, next, version),
      async () => {
        const current = await this.recentRuns.read(event.configName, event.exportName);
        const next = decideRunAlerts(current?.runs ?? [], event, config.notifications.alerts, false).next;
        return { next, version: current?.version };
      },
      () =>
        new AppError('recent runs kept changing while being updated', {
          code: 'RECENT_RUNS_CONFLICT',
          retryable: true,
          details: { exportName: event.exportName },
        }),
    );
  }

  /**
   * Sends one alert to each configured channel unless the ledger has it (keyed by the alert's
   * export, run and kind); `causeId` is what the ledger records as its cause.
   */
  async send(
    alert: RunAlert,
    causeId: string,
    config: ExportConfig,
    signal: AbortSignal,
    logger: Logger,
  ): Promise<void> {
    let secrets: NotificationSecrets;
    try {
      secrets = this.configs.notificationSecrets(config);
    } catch (error) {
      logger.error('run alert not sent: notification secrets missing', {
        alert: alert.kind,
        code: isAppError(error) ? error.code : 'SECRETS_MISSING',
      });
      return;
    }
    for (const channel of CHANNELS) {
      if (config.notifications[channel] === undefined) continue;
      await this.sendTo(channel, alert, causeId, secrets, signal, logger);
    }
  }

  private async sendTo(
    channel: NotificationChannel,
    alert: RunAlert,
    causeId: string,
    secrets: NotificationSecrets,
    signal: AbortSignal,
    logger: Logger,
  ): Promise<void> {
    const key: NotificationKey = {
      configName: alert.configName,
      exportName: alert.exportName,
      runId: alert.runId,
      result: `alert-${alert.kind}`,
      channel,
    };
    await sendOnce(
      this,
      key,
      { outcome: 'alert', eventId: causeId },
      () =>
        sendOnChannel(
          this,
          channel,
          { email: () => renderAlertEmail(alert), slack: () => renderAlertSlack(alert) },
          secrets,
          signal,
        ),
      signal,
      logger.child({ alert: alert.kind }),
    );
  }
}
