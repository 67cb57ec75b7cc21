import { InMemoryBlobStore } from '@bq-sftp-export/cloud/testing';
import type { ExportEvent } from '@bq-sftp-export/contracts';
import { AppError, createLogger, LogCapture } from '@bq-sftp-export/runtime';
import type { MessageContext } from '@bq-sftp-export/runtime';
import { beforeEach, describe, expect, it } from '@jest/globals';

import { BlobExportStateStore } from '../adapters/blob-export-state-store.adapter.js';
import { BlobNotificationLedger } from '../adapters/blob-notification-ledger.adapter.js';
import { BlobRecentRunsStore } from '../adapters/blob-recent-runs-store.adapter.js';
import { events, runFacts } from '../domain/testing/events.js';
import {
  FakeConfigs,
  FixedClock,
  RecordingEmail,
  RecordingHistory,
  RecordingSlack,
  SLACK_URL,
  SMTP_PASSWORD,
  testConfig,
  testEnvironment,
} from '../testing/fakes.js';
import { ExportEventHandler } from './export-event.handler.js';
import { RunOutcomeDecider } from './run-outcome-decider.js';

function setup() {
  const capture = new LogCapture();
  const logger = createLogger({ level: 'debug', name: 'tracker-test', destination: capture });
  const configs = new FakeConfigs();
  const history = new RecordingHistory();
  const blobs = new InMemoryBlobStore();
  const email = new RecordingEmail();
  const slack = new RecordingSlack();
  const handler = new ExportEventHandler(
    configs,
    history,
    new RunOutcomeDecider(new BlobExportStateStore(blobs, 'bqx-staging')),
    new BlobNotificationLedger(blobs, 'bqx-staging'),
    email,
    slack,
    new FixedClock(),
    logger,
    new BlobRecentRunsStore(blobs, 'bqx-staging'),
  );
  const shutdown = new AbortController();
  const context: MessageContext = {
    messageId: '1',
    attributes: {},
    deliveryAttempt: 1,
    publishTime: new Date(),
    signal: shutdown.signal,
    logger,
  };
  const handle = (event: ExportEvent) => handler.handle(event, context);
  return { capture, configs, history, blobs, email, slack, handle, shutdown };
}

type Setup = ReturnType<typeof setup>;

const statusesOf = (t: Setup) => t.history.rows.map((row) => `${row.event_type}:${row.export_status}`);

describe('ExportEventHandler', () => {
  let t: Setup;
  beforeEach(() => {
    t = setup();
  });

  it('writes one history row per event to the config metadata table and notifies nothing before a run settles', async () => {
    const run = runFacts('run-1');
    for (const event of [events.started(run), events.staged(run), events.uploadFailed(run, true, 2)]) {
      expect(await t.handle(event)).toEqual({ kind: 'ack' });
    }
    expect(t.history.appends.map((append) => append.table)).toEqual(
      Array(3).fill('local-project.bqx_history.export_metadata'),
    );
    expect(statusesOf(t)).toEqual([
      'extract.started:running',
      'extract.staged:staged',
      'upload.failed:retrying',
    ]);
    expect(t.email.sent).toHaveLength(0);
    expect(t.slack.posted).toHaveLength(0);
  });

  it('announces a final failure once on each channel with the cause and the operator commands', async () => {
    const run = runFacts('run-1');
    await t.handle(events.uploadFailed(run, false, 3));

    expect(t.email.sent).toHaveLength(1);
    const { email, target } = t.email.sent[0]!;
    expect(email.subject).toBe('[bq-sftp-export] shopify_customers FAILED, 2026-11-26');
    expect(email.text).toContain('Cause: SFTP_AUTH_FAILED: authentication failed for user partner');
    expect(email.text).toContain('bq-sftp replay --subscription ops.file-ready.dead-letter');
    expect(email.text).toContain('bq-sftp resend --run run-1 --export shopify_customers');
    expect(target.password?.reveal()).toBe(SMTP_PASSWORD);
    expect(t.slack.posted).toHaveLength(1);
    expect(t.slack.posted[0]!.webhookUrl.reveal()).toBe(SLACK_URL);
    expect(JSON.stringify(t.slack.posted[0]!.message)).toContain('ops.file-ready.dead-letter');

    expect(statusesOf(t)).toEqual([
      'upload.failed:failed',
      'notification.sent:notified',
      'notification.sent:notified',
    ]);
    const notifications = t.history.rows.slice(1);
    expect(notifications.map((row) => [row.notification_channel, row.notification_outcome])).toEqual([
      ['email', 'failure'],
      ['slack', 'failure'],
    ]);
  });

  it('never sends a second notification when the event is redelivered, and re-states the same notification rows', async () => {
    const run = runFacts('run-1');
    const failed = events.extractFailed(run);
    await t.handle(failed);
    await t.handle(failed);

    expect(t.email.sent).toHaveLength(1);
    expect(t.slack.posted).toHaveLength(1);
    const notificationIds = t.history.rows
      .filter((row) => row.event_type === 'notification.sent')
      .map((row) => row.event_id);
    expect(notificationIds).toHaveLength(4);
    expect(new Set(notificationIds).size).toBe(2);
    expect(t.capture.text()).toContain('notification already handled, not sent again');
  });

  it('announces a recovery when an export succeeds after failing, and a plain success after that', async () => {
    await t.handle(events.extractFailed(runFacts('run-1', 0)));
    await t.handle(events.delivered(runFacts('run-2', 60)));
    await t.handle(events.delivered(runFacts('run-3', 120)));

    expect(t.email.sent.map((sent) => sent.email.subject)).toEqual([
      '[bq-sftp-export] shopify_customers FAILED, 2026-11-26',
      '[bq-sftp-export] shopify_customers recovered, 2026-11-26',
      '[bq-sftp-export] shopify_customers succeeded, 2026-11-26',
    ]);
    const recovery = t.email.sent[1]!.email.text;
    expect(recovery).toContain('Rows: 42');
    expect(recovery).toContain('File: SHOPIFYCUSTOMERDATA_20261126_050000.csv');
    expect(recovery).toContain('Bytes: 2,048 (2.0 KiB)');
    expect(recovery).toContain('Duration: 1.5 s');
    expect(recovery).not.toContain('bq-sftp replay');
  });

  it('decides a redelivered recovery the same way after the export state moved on', async () => {
    await t.handle(events.uploadFailed(runFacts('run-1', 0)));
    const delivered = events.delivered(runFacts('run-1', 0));
    await t.handle(delivered);
    t.email.sent.length = 0;
    await t.handle(delivered);
    expect(t.email.sent).toHaveLength(0);
    const outcomes = t.history.rows
      .filter((row) => row.event_type === 'notification.sent')
      .map((row) => row.notification_outcome);
    expect(outcomes).toEqual(['failure', 'failure', 'recovery', 'recovery', 'recovery', 'recovery']);
  });

  it('treats an empty window as a success, and a retryable failure, a skip or a duplicate as nothing to announce', async () => {
    const run = runFacts('run-1');
    await t.handle(events.uploadFailed(run, true, 1));
    await t.handle(events.skipped(runFacts('run-2', 1)));
    await t.handle(events.duplicate(run));
    expect(t.email.sent).toHaveLength(0);
    await t.handle(events.empty(runFacts('run-3', 60)));
    expect(t.email.sent.map((sent) => sent.email.subject)).toEqual([
      '[bq-sftp-export] shopify_customers succeeded, 2026-11-26',
    ]);
    expect(t.email.sent[0]!.email.text).toContain('Rows: 0');
  });

  it('treats the last delivery attempt of a retryable failure as final', async () => {
    await t.handle(events.uploadFailed(runFacts('run-1'), true, 10));
    expect(t.email.sent).toHaveLength(1);
    expect(t.history.rows[0]!.export_status).toBe('failed');
  });

  it('honours on_success and on_failure, and still tracks the state for a later recovery', async () => {
    t.configs.config = testConfig({ slack: {}, on_success: false });
    await t.handle(events.delivered(runFacts('run-1', 0)));
    expect(t.slack.posted).toHaveLength(0);
    await t.handle(events.extractFailed(runFacts('run-2', 60)));
    await t.handle(events.delivered(runFacts('run-3', 120)));
    expect(t.slack.posted.map((post) => post.message.text)).toEqual([
      'shopify_customers FAILED: extract failed',
      'shopify_customers recovered: delivered',
    ]);
    t.configs.config = testConfig({ slack: {}, on_failure: false });
    await t.handle(events.extractFailed(runFacts('run-4', 180)));
    expect(t.slack.posted).toHaveLength(2);
  });

  it('skips a channel that is not configured with one info log', async () => {
    t.configs.config = testConfig({ slack: {} });
    await t.handle(events.delivered(runFacts('run-1', 0)));
    await t.handle(events.delivered(runFacts('run-2', 60)));
    expect(t.slack.posted).toHaveLength(2);
    const skips = t.capture
      .entries()
      .filter((entry) => entry['message'] === 'notification channel not configured, skipped');
    expect(skips).toEqual([
      expect.objectContaining({ severity: 'INFO', channel: 'email', configName: 'default' }),
    ]);
  });

  it('records a failed notification as a history row and keeps the others going', async () => {
    t.slack.failures.push(
      new AppError('Slack post failed: HTTP 500 after 1 attempt(s)', {
        code: 'SLACK_HTTP_500',
        retryable: false,
      }),
    );
    const failed = events.extractFailed(runFacts('run-1'));
    await t.handle(failed);

    expect(t.email.sent).toHaveLength(1);
    const failedRow = t.history.rows.find((row) => row.event_type === 'notification.failed');
    expect(failedRow).toMatchObject({
      export_status: 'notification_failed',
      notification_channel: 'slack',
      notification_outcome: 'failure',
      error_code: 'SLACK_HTTP_500',
      error_retryable: false,
    });
    // A 5xx may have posted: a redelivery must not post again.
    await t.handle(failed);
    expect(t.slack.posted).toHaveLength(0);
    expect(t.email.sent).toHaveLength(1);
  });

  it('tries a retryable notification failure again on redelivery', async () => {
    t.email.failures.push(
      new AppError('email not sent: SMTP 451 after 4 attempt(s)', {
        code: 'SMTP_UNAVAILABLE',
        retryable: true,
      }),
    );
    const failed = events.extractFailed(runFacts('run-1'));
    await t.handle(failed);
    expect(t.email.sent).toHaveLength(0);
    await t.handle(failed);
    expect(t.email.sent).toHaveLength(1);
    expect(t.slack.posted).toHaveLength(1);
  });

  it('leaves a notification interrupted by shutdown to the redelivery instead of recording it failed', async () => {
    t.shutdown.abort();
    t.email.failures.push(new Error('aborted'));
    const failed = events.extractFailed(runFacts('run-1'));
    await expect(t.handle(failed)).rejects.toThrow('aborted');
    expect(t.history.rows.filter((row) => row.event_type === 'notification.failed')).toHaveLength(0);
    expect(t.slack.posted).toHaveLength(0);
  });

  it('records SECRETS_MISSING for each channel when the secrets are not in the environment', async () => {
    t.configs.environment = testEnvironment({ EMAIL_PASSWORD: '', SLACK_WEBHOOK_URL: '' });
    await t.handle(events.extractFailed(runFacts('run-1')));
    const failed = t.history.rows.filter((row) => row.event_type === 'notification.failed');
    expect(failed.map((row) => [row.notification_channel, row.error_code])).toEqual([
      ['email', 'SECRETS_MISSING'],
      ['slack', 'SECRETS_MISSING'],
    ]);
  });

  it('sends nothing when the history row cannot be written: the message is retried instead', async () => {
    t.history.failWith = new AppError('history table: insert failed', {
      code: 'HISTORY_WRITE_FAILED',
      retryable: true,
    });
    await expect(t.handle(events.extractFailed(runFacts('run-1')))).rejects.toMatchObject({
      code: 'HISTORY_WRITE_FAILED',
    });
    expect(t.email.sent).toHaveLength(0);
    expect(t.slack.posted).toHaveLength(0);
  });

  it('never logs a secret, a recipient or the webhook URL', async () => {
    t.slack.failures.push(new Error(`request to ${SLACK_URL} failed`));
    await t.handle(events.extractFailed(runFacts('run-1')));
    await t.handle(events.delivered(runFacts('run-2', 60)));
    const logs = t.capture.text();
    expect(logs).not.toContain(SLACK_URL);
    expect(logs).not.toContain('secret-token-value');
    expect(logs).not.toContain(SMTP_PASSWORD);
    expect(logs).not.toContain('ops@example.com');
    const rows = JSON.stringify(t.history.rows);
    expect(rows).not.toContain('secret-token-value');
  });

  it('logs a config refusal at error level and acks it when no notification target is known', async () => {
    t.configs.get = (name: string) =>
      Promise.reject(
        new AppError(`config not found: ${name}`, { code: 'CONFIG_NOT_FOUND', retryable: false }),
      );
    const failed = {
      ...events.extractFailed(runFacts('run-r', 0, '_config')),
      configName: 'absent',
      error: { code: 'CONFIG_NOT_FOUND', message: 'config not found: absent', retryable: false },
    };
    expect(await t.handle(failed)).toEqual({ kind: 'ack' });
    const line = t.capture
      .text()
      .split('\n')
      .find((entry) => entry.includes('config refused and no notification target known'));
    expect(line).toContain('"severity":"ERROR"');
    expect(line).toContain('CONFIG_NOT_FOUND');
    expect(t.slack.posted).toHaveLength(0);
    expect(t.history.rows).toHaveLength(0);
    const other = { ...events.started(runFacts('run-y')), configName: 'absent' };
    await expect(t.handle(other)).rejects.toMatchObject({ code: 'CONFIG_NOT_FOUND' });
  });
});

describe('ExportEventHandler: rows that arrived below the watermark', () => {
  let t: Setup;
  beforeEach(() => {
    t = setup();
  });

  it('records late_rows and alerts once per channel when an extract counted late rows', async () => {
    const staged = { ...events.staged(runFacts('run-1')), lateRows: 3 };
    await t.handle(staged);
    expect(t.history.rows[0]).toMatchObject({ event_type: 'extract.staged', late_rows: 3 });
    expect(t.email.sent).toHaveLength(1);
    expect(t.email.sent[0]!.email.subject).toBe(
      '[bq-sftp-export] shopify_customers: 3 rows arrived below the watermark, 2026-11-26',
    );
    expect(t.email.sent[0]!.email.text).toContain('lookback_seconds');
    expect(t.slack.posted.map((post) => post.message.text)).toEqual([
      'shopify_customers: 3 rows arrived below the watermark (run run-1)',
    ]);
    // A redelivered event alerts no more; the run's own notifications are unaffected.
    await t.handle(staged);
    expect(t.email.sent).toHaveLength(1);
    expect(t.slack.posted).toHaveLength(1);
    await t.handle(events.delivered(runFacts('run-1')));
    expect(t.email.sent.map((sent) => sent.email.subject)).toEqual([
      '[bq-sftp-export] shopify_customers: 3 rows arrived below the watermark, 2026-11-26',
      '[bq-sftp-export] shopify_customers succeeded, 2026-11-26',
    ]);
  });

  it('an empty window alerts too; none for zero, an unknown count or a run without one', async () => {
    await t.handle({ ...events.empty(runFacts('run-1')), lateRows: 1 });
    expect(t.slack.posted.map((post) => post.message.text)).toContain(
      'shopify_customers: 1 row arrived below the watermark (run run-1)',
    );
    const before = t.slack.posted.length;
    await t.handle({ ...events.staged(runFacts('run-2', 60)), lateRows: 0 });
    await t.handle({
      ...events.staged(runFacts('run-3', 120)),
      lateRows: null,
      lateRowsReason: 'previous_snapshot_expired',
    });
    await t.handle(events.staged(runFacts('run-4', 180)));
    expect(t.slack.posted).toHaveLength(before);
    expect(t.history.rows.slice(-3).map((row) => row.late_rows)).toEqual([0, null, null]);
  });

  it('goes with on_failure, and a failed alert is logged with its code, not sent twice when it may have gone', async () => {
    t.configs.config = testConfig({ slack: {}, on_failure: false });
    await t.handle({ ...events.staged(runFacts('run-1')), lateRows: 2 });
    expect(t.slack.posted).toHaveLength(0);

    t.configs.config = testConfig({ slack: {} });
    t.slack.failures.push(
      new AppError('Slack post failed: HTTP 500', { code: 'SLACK_HTTP_500', retryable: false }),
    );
    const staged = { ...events.staged(runFacts('run-2', 60)), lateRows: 2 };
    expect(await t.handle(staged)).toEqual({ kind: 'ack' });
    expect(t.capture.entries().find((entry) => entry['message'] === 'late-rows alert failed')).toMatchObject({
      channel: 'slack',
      code: 'SLACK_HTTP_500',
      retryable: false,
    });
    await t.handle(staged);
    expect(t.slack.posted).toHaveLength(0);
  });
});
