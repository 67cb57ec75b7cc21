import type { FreshnessTick } from '@bq-sftp-export/contracts';
import { Clock, Outcome } from '@bq-sftp-export/runtime';
import type { HandlerOutcome, MessageContext } from '@bq-sftp-export/runtime';
import { inject, injectable } from 'inversify';

import { decideFreshness } from '../domain/freshness.js';
import { ExportConfigs } from './ports/export-configs.js';
import { NotificationLedger } from './ports/notification-ledger.js';
import { EmailSender, SlackSender } from './ports/notifiers.js';
import { RecentRunsStore } from './ports/recent-runs-store.js';
import { RunAlerter } from './run-alerter.js';

/**
 * Answers a `freshness.tick`: for each export of the tick's config, when
 * `notifications.alerts.freshness_seconds` is set, compares the tick's publish time with the
 * export's last successful run (the recent-runs record the run alerts keep, no BigQuery query)
 * and raises the `stale` alert once per stale period (the ledger key names that last run). A
 * config that cannot be read throws (not retryable: dead-lettered with its code); a failed read
 * of the records throws retryable (redelivered; the ledger keeps a sent alert from repeating).
 */
@injectable()
export class FreshnessChecker {
  private readonly alerter: RunAlerter;

  constructor(
    @inject(ExportConfigs) private readonly configs: ExportConfigs,
    @inject(RecentRunsStore) private readonly recentRuns: RecentRunsStore,
    @inject(NotificationLedger) ledger: NotificationLedger,
    @inject(EmailSender) email: EmailSender,
    @inject(SlackSender) slack: SlackSender,
    @inject(Clock) clock: Clock,
  ) {
    this.alerter = new RunAlerter(configs, recentRuns, ledger, email, slack, clock);
  }

  async check(tick: FreshnessTick, context: MessageContext): Promise<HandlerOutcome> {
    const config = await this.configs.get(tick.config);
    const seconds = config.notifications.alerts.freshnessSeconds;
    const logger = context.logger.child({ configName: config.name });
    if (seconds === undefined) {
      logger.info('freshness tick: no freshness_seconds configured, nothing to check');
      return Outcome.ack();
    }
    for (const { name } of config.exports) {
      const stored = await this.recentRuns.read(config.name, name);
      const names = { exportName: name, configName: config.name };
      const alert = decideFreshness(stored?.runs ?? [], context.publishTime, seconds, names);
      if (alert === undefined) continue;
      const exportLogger = logger.child({ exportName: name, runId: alert.runId });
      exportLogger.warn('run alert', { alert: alert.kind });
      await this.alerter.send(alert, `freshness-${context.messageId}`, config, context.signal, exportLogger);
    }
    return Outcome.ack();
  }
}
