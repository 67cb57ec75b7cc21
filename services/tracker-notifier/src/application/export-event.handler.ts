import type { ExportConfig, NotificationSecrets } from '@bq-sftp-export/config';
import type { ErrorInfo, ExportEvent } from '@bq-sftp-export/contracts';
import { Clock, faultPoint, FaultPoints, isAppError, Logger, Outcome } from '@bq-sftp-export/runtime';
import type { HandlerOutcome, MessageContext } from '@bq-sftp-export/runtime';
import { inject, injectable } from 'inversify';

import { historyRowOf } from '../domain/history-row.js';
import type { HistoryRow } from '../domain/history-row.js';
import { notificationEventOf } from '../domain/notification-event.js';
import { renderEmail } from '../domain/render-email.js';
import { renderSlack } from '../domain/render-slack.js';
import { runNotificationOf } from '../domain/run-notification.js';
import type { RunNotification } from '../domain/run-notification.js';
import { isWanted, runResultOf } from '../domain/run-outcome.js';
import type { NotificationOutcome, RunResult } from '../domain/run-outcome.js';
import { LateRowsAlerter } from './late-rows-alerter.js';
import { ExportConfigs } from './ports/export-configs.js';
import { RecentRunsStore } from './ports/recent-runs-store.js';
import { HistoryWriter } from './ports/history-writer.js';
import { NotificationLedger } from './ports/notification-ledger.js';
import type { NotificationChannel, NotificationKey } from './ports/notification-ledger.js';
import { sendOnChannel } from './channel-send.js';
import { EmailSender, SlackSender } from './ports/notifiers.js';
import { isConfigRefusal, RefusalAlerter } from './refusal-alerter.js';
import { RunAlerter } from './run-alerter.js';
import { RunOutcomeDecider } from './run-outcome-decider.js';

const CHANNELS: readonly NotificationChannel[] = ['email', 'slack'];

interface Settled {
  readonly event: ExportEvent;
  readonly config: ExportConfig;
  readonly result: RunResult;
  readonly outcome: NotificationOutcome;
  readonly notification: RunNotification;
  readonly logger: Logger;
}

/** What a failed notification is recorded as: our own errors keep their code and message. */
function errorInfoOf(error: unknown): ErrorInfo {
  if (isAppError(error) && /^[A-Z][A-Z0-9_]{0,63}$/.test(error.code)) {
    return { code: error.code, message: error.message.slice(0, 2000), retryable: error.retryable };
  }
  return { code: 'NOTIFICATION_FAILED', message: 'unexpected error while notifying', retryable: true };
}

/**
 * Handles every `export.events` message: appends its history row first (a failure to write
 * nacks the message, so the row is never lost), then, when the event settles a run, announces
 * the outcome once per configured channel and records each notification as a history row.
 */
@injectable()
export class ExportEventHandler {
  private readonly skippedChannels = new Set<string>();
  private readonly lateRows: LateRowsAlerter;
  private readonly runAlerts: RunAlerter;
  private readonly refusals: RefusalAlerter;

  constructor(
    @inject(ExportConfigs) private readonly configs: ExportConfigs,
    @inject(HistoryWriter) private readonly history: HistoryWriter,
    @inject(RunOutcomeDecider) private readonly decider: RunOutcomeDecider,
    @inject(NotificationLedger) private readonly ledger: NotificationLedger,
    @inject(EmailSender) readonly email: EmailSender,
    @inject(SlackSender) readonly slack: SlackSender,
    @inject(Clock) private readonly clock: Clock,
    @inject(Logger) private readonly logger: Logger,
    @inject(RecentRunsStore) recentRuns: RecentRunsStore,
  ) {
    this.lateRows = new LateRowsAlerter(configs, ledger, email, slack, clock);
    this.runAlerts = new RunAlerter(configs, recentRuns, ledger, email, slack, clock);
    this.refusals = new RefusalAlerter(configs, ledger, slack, clock);
  }

  async handle(event: ExportEvent, context: MessageContext): Promise<HandlerOutcome> {
    let config: ExportConfig;
    try {
      config = await this.configs.get(event.configName);
    } catch (error) {
      if (!isConfigRefusal(event, error)) throw error;
      return this.refusals.alert(event, context.signal, context.logger);
    }
    await this.history.append(config.metadataTable, [historyRowOf(event, this.clock.now())]);
    await faultPoint(FaultPoints.trackerHistoryWritten);
    await this.lateRows.alert(event, config, context.signal, context.logger);
    const result = runResultOf(event);
    if (result === undefined) return Outcome.ack();

    const logger = context.logger.child({ runId: event.runId, exportName: event.exportName });
    const decision = await this.decider.decide(event, result);
    const settled: Settled = {
      event,
      config,
      result,
      outcome: decision.outcome,
      notification: runNotificationOf(event, decision.outcome),
      logger,
    };
    if (isWanted(decision.outcome, config.notifications)) {
      const rows = await this.notifyAll(settled, context.signal);
      if (rows.length > 0) await this.history.append(config.metadataTable, rows);
    } else {
      logger.debug('run outcome not notified by config', { outcome: decision.outcome });
    }
    if (result === 'success') await this.runAlerts.alert(event, config, context.signal, logger);
    await decision.commit();
    return Outcome.ack();
  }

  private async notifyAll(settled: Settled, signal: AbortSignal): Promise<HistoryRow[]> {
    let secrets: NotificationSecrets | undefined;
    let secretsError: unknown;
    try {
      secrets = this.configs.notificationSecrets(settled.config);
    } catch (error) {
      secretsError = error;
    }
    const rows: HistoryRow[] = [];
    for (const channel of CHANNELS) {
      if (!this.isConfigured(settled.config, channel)) continue;
      const send = async (): Promise<void> => {
        if (secrets === undefined) throw secretsError;
        await this.send(channel, settled.notification, secrets, signal);
      };
      const row = await this.notifyOnce(settled, channel, send, signal);
      if (row !== undefined) rows.push(row);
    }
    return rows;
  }

  private isConfigured(config: ExportConfig, channel: NotificationChannel): boolean {
    if (config.notifications[channel] !== undefined) return true;
    const key = `${config.name}/${channel}`;
    if (!this.skippedChannels.has(key)) {
      this.skippedChannels.add(key);
      this.logger.info('notification channel not configured, skipped', { configName: config.name, channel });
    }
    return false;
  }

  private async send(
    channel: NotificationChannel,
    notification: RunNotification,
    secrets: NotificationSecrets,
    signal: AbortSignal,
  ): Promise<void> {
    const content = { email: () => renderEmail(notification), slack: () => renderSlack(notification) };
    await sendOnChannel(this, channel, content, secrets, signal);
  }

  /**
   * Sends one notification unless the ledger has it, records it after the attempt, and returns
   * its history row (`notification.sent` again for one sent before: the row is idempotent).
   */
  private async notifyOnce(
    settled: Settled,
    channel: NotificationChannel,
    send: () => Promise<void>,
    signal: AbortSignal,
  ): Promise<HistoryRow | undefined> {
    const { event, result, outcome, logger } = settled;
    const key: NotificationKey = {
      configName: event.configName,
      exportName: event.exportName,
      runId: event.runId,
      result,
      channel,
    };
    const fact = { cause: event, result, outcome, channel };
    const previous = await this.ledger.find(key);
    if (previous !== undefined) {
      logger.info('notification already handled, not sent again', { channel, status: previous.status });
      return previous.status === 'sent'
        ? historyRowOf(notificationEventOf({ ...fact, at: new Date(previous.at) }), this.clock.now())
        : undefined;
    }
    try {
      await send();
    } catch (error) {
      // Shutting down mid-send (e.g. during an SMTP backoff): nack, the redelivery sends it.
      if (signal.aborted) throw error;
      const info = errorInfoOf(error);
      logger.error('notification failed', { channel, outcome, code: info.code, retryable: info.retryable });
      if (!info.retryable) {
        await this.ledger.record(key, {
          status: 'abandoned',
          outcome,
          eventId: event.eventId,
          at: this.now(),
        });
      }
      return historyRowOf(
        notificationEventOf({ ...fact, at: this.clock.now(), error: info }),
        this.clock.now(),
      );
    }
    await faultPoint(FaultPoints.trackerNotificationSent);
    const at = this.clock.now();
    await this.ledger.record(key, { status: 'sent', outcome, eventId: event.eventId, at: at.toISOString() });
    logger.info('notification sent', { channel, outcome });
    return historyRowOf(notificationEventOf({ ...fact, at }), at);
  }

  private now(): string {
    return this.clock.now().toISOString();
  }
}
