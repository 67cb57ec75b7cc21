import type { BigQuery } from '@google-cloud/bigquery';
import { BlobStore } from '@bq-sftp-export/cloud';
import type { ConfigSource, Environment } from '@bq-sftp-export/config';
import { ContainerModule } from 'inversify';

import { BigQueryHistoryWriter } from './adapters/bigquery-history-writer.adapter.js';
import { BlobExportStateStore } from './adapters/blob-export-state-store.adapter.js';
import { BlobNotificationLedger } from './adapters/blob-notification-ledger.adapter.js';
import { BlobRecentRunsStore } from './adapters/blob-recent-runs-store.adapter.js';
import { SourceExportConfigs } from './adapters/config-export-configs.adapter.js';
import { SlackWebhookSender } from './adapters/slack-webhook-sender.adapter.js';
import type { SlackRetryPolicy } from './adapters/slack-webhook-sender.adapter.js';
import { SmtpEmailSender } from './adapters/smtp-email-sender.adapter.js';
import type { SmtpRetryPolicy } from './adapters/smtp-email-sender.adapter.js';
import { ExportEventHandler } from './application/export-event.handler.js';
import { FreshnessChecker } from './application/freshness-checker.js';
import { ExportConfigs } from './application/ports/export-configs.js';
import { ExportStateStore } from './application/ports/export-state-store.js';
import { HistoryWriter } from './application/ports/history-writer.js';
import { NotificationLedger } from './application/ports/notification-ledger.js';
import { RecentRunsStore } from './application/ports/recent-runs-store.js';
import { EmailSender, SlackSender } from './application/ports/notifiers.js';
import { RunOutcomeDecider } from './application/run-outcome-decider.js';

/** The outer edges tracker-notifier needs, built by `main.ts` (or a test) from the environment. */
export interface TrackerModuleOptions {
  readonly environment: Environment;
  readonly bigquery: BigQuery;
  /** Where export configs are read, by name (`CONFIG_SOURCE`). */
  readonly configSource: ConfigSource;
  /** The bucket holding `notifications/` (notification ledger and export states): `STAGING_BUCKET`. */
  readonly recordsBucket: string;
  /** The history dataset's location when it has to be created. */
  readonly bigqueryLocation?: string;
  readonly smtp?: Partial<SmtpRetryPolicy>;
  readonly slack?: Partial<SlackRetryPolicy>;
}

/**
 * Binds tracker-notifier: the `export.events` handler, its decider, the `freshness.tick`
 * checker, and an adapter for every
 * port. Needs `BlobStore` (the cloud package's token) and the runtime module (`Logger`, `Clock`)
 * in the same container. Tests rebind the outer edges.
 */
export function trackerModule(options: TrackerModuleOptions): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(ExportConfigs).toConstantValue(new SourceExportConfigs(options.configSource, options.environment));
    bind(HistoryWriter).toConstantValue(
      new BigQueryHistoryWriter(
        options.bigquery,
        options.bigqueryLocation === undefined ? {} : { location: options.bigqueryLocation },
      ),
    );
    bind(NotificationLedger)
      .toResolvedValue(
        (blobs: BlobStore) => new BlobNotificationLedger(blobs, options.recordsBucket),
        [BlobStore],
      )
      .inSingletonScope();
    bind(ExportStateStore)
      .toResolvedValue(
        (blobs: BlobStore) => new BlobExportStateStore(blobs, options.recordsBucket),
        [BlobStore],
      )
      .inSingletonScope();
    bind(RecentRunsStore)
      .toResolvedValue(
        (blobs: BlobStore) => new BlobRecentRunsStore(blobs, options.recordsBucket),
        [BlobStore],
      )
      .inSingletonScope();
    bind(EmailSender).toConstantValue(new SmtpEmailSender(options.smtp));
    bind(SlackSender).toConstantValue(new SlackWebhookSender(options.slack));
    bind(RunOutcomeDecider).toSelf().inSingletonScope();
    bind(ExportEventHandler).toSelf().inSingletonScope();
    bind(FreshnessChecker).toSelf().inSingletonScope();
  });
}
