import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { BigQuery } from '@google-cloud/bigquery';
import { InMemoryBlobStore } from '@bq-sftp-export/cloud/testing';
import { DirectoryConfigSource, parseEnvironment } from '@bq-sftp-export/config';
import { encodeMessage } from '@bq-sftp-export/contracts';
import type { ExportEvent } from '@bq-sftp-export/contracts';
import { clientOptions, startLocalBigQuery } from '@bq-sftp-export/local-bigquery';
import type { LocalBigQuery } from '@bq-sftp-export/local-bigquery';
import { startSlackSink, startSmtpSink } from '@bq-sftp-export/local-sinks';
import type { SlackSink, SmtpSink } from '@bq-sftp-export/local-sinks';
import { LogCapture, Logger, runtimeModule } from '@bq-sftp-export/runtime';
import type { MessageContext } from '@bq-sftp-export/runtime';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';

import { ExportEventHandler } from './application/export-event.handler.js';
import { FreshnessChecker } from './application/freshness-checker.js';
import { events, runFacts } from './domain/testing/events.js';
import { testConfigFile } from './testing/fakes.js';
import { createTrackerContainer, decodeExportEvent, decodeTrackerMessage } from './tracker.container.js';

const SMTP_PASSWORD = 'mail-password';

describe('tracker-notifier (local BigQuery, SMTP and Slack sinks, real clients)', () => {
  let bigQueryServer: LocalBigQuery;
  let bigquery: BigQuery;
  let smtp: SmtpSink;
  let slack: SlackSink;
  let configDirectory: string;
  let logs: LogCapture;
  let slackAttemptsBefore: number;

  async function writeConfig(smtpPort: number, extra: Record<string, unknown> = {}): Promise<void> {
    const config = testConfigFile(
      {
        email: {
          to: ['ops@example.com'],
          from: 'bqx@example.com',
          smtp_host: '127.0.0.1',
          smtp_port: smtpPort,
          username: 'mailer',
        },
        slack: {},
        ...extra,
      },
      'bqx_history.export_metadata',
    );
    await writeFile(path.join(configDirectory, 'default.json'), JSON.stringify(config));
  }

  beforeAll(async () => {
    bigQueryServer = await startLocalBigQuery({ projectId: 'local-project' });
    bigquery = new BigQuery(clientOptions(bigQueryServer.endpoint, bigQueryServer.projectId));
    smtp = await startSmtpSink({ auth: { username: 'mailer', password: SMTP_PASSWORD } });
    slack = await startSlackSink();
    configDirectory = await mkdtemp(path.join(tmpdir(), 'tracker-config-'));
  });
  afterAll(async () => {
    await Promise.all([bigQueryServer.stop(), smtp.stop(), slack.stop()]);
    await rm(configDirectory, { recursive: true, force: true });
  });

  beforeEach(async () => {
    await bigQueryServer.reset();
    smtp.clear();
    slack.clear();
    slackAttemptsBefore = slack.attempts();
    await writeConfig(smtp.port);
    logs = new LogCapture();
    const container = createTrackerContainer({
      runtime: runtimeModule({ logger: { level: 'debug', name: 'tracker-notifier', destination: logs } }),
      environment: parseEnvironment({
        EMAIL_PASSWORD: SMTP_PASSWORD,
        SLACK_WEBHOOK_URL: slack.url,
        ALERT_FALLBACK_SLACK_WEBHOOK_URL: slack.url,
      }),
      bigquery,
      blobStore: new InMemoryBlobStore(),
      configSource: new DirectoryConfigSource(configDirectory),
      recordsBucket: 'bqx-staging',
      smtp: { baseDelayMs: 20 },
    });
    const handler = container.get(ExportEventHandler);
    const logger = container.get(Logger);
    deliver = async (event: ExportEvent) => {
      const { data, attributes } = encodeMessage('export.events', event);
      const context: MessageContext = {
        messageId: event.eventId,
        attributes,
        deliveryAttempt: 1,
        publishTime: new Date(),
        signal: new AbortController().signal,
        logger,
      };
      return handler.handle(decodeExportEvent(data, attributes), context);
    };
    const freshness = container.get(FreshnessChecker);
    tick = async (at: string, config = 'default') => {
      const { data, attributes } = encodeMessage('freshness.tick', { type: 'freshness.tick', config });
      const message = decodeTrackerMessage(data, attributes);
      if (message.type !== 'freshness.tick') throw new Error('expected a freshness tick');
      const context: MessageContext = {
        messageId: `tick-${at}`,
        attributes,
        deliveryAttempt: 1,
        publishTime: new Date(at),
        signal: new AbortController().signal,
        logger,
      };
      return freshness.check(message, context);
    };
  });
  afterEach(() => {
    expect(logs.text()).not.toContain(SMTP_PASSWORD);
    expect(logs.text()).not.toContain(slack.url);
  });

  let deliver: (event: ExportEvent) => Promise<unknown>;
  let tick: (at: string, config?: string) => Promise<unknown>;

  async function history(): Promise<Record<string, unknown>[]> {
    const [rows] = await bigquery.query({
      query: `SELECT event_type, export_status, notification_channel AS channel, error_code
              FROM \`local-project.bqx_history.export_metadata_events\`
              ORDER BY occurred_at, event_type, notification_channel`,
    });
    return rows as Record<string, unknown>[];
  }

  it('announces a final failure with one email and one Slack message, and never again on redelivery', async () => {
    const run = runFacts('run-1');
    const failed = events.uploadFailed(run, false, 2);
    await deliver(events.started(run));
    await expect(deliver(failed)).resolves.toEqual({ kind: 'ack' });

    const [mail] = await smtp.waitFor(1, 10_000);
    expect(mail?.subject).toBe('[bq-sftp-export] shopify_customers FAILED, 2026-11-26');
    expect(mail?.text).toContain('Cause: SFTP_AUTH_FAILED: authentication failed for user partner');
    expect(mail?.text).toContain('bq-sftp replay --subscription ops.file-ready.dead-letter');
    expect(mail?.text).toContain('bq-sftp resend --run run-1 --export shopify_customers');
    expect(mail?.html).toContain('SFTP_AUTH_FAILED');
    const [post] = await slack.waitFor(1, 10_000);
    const blocks = JSON.stringify(post?.payload['blocks']);
    expect(blocks).toContain('shopify_customers FAILED');
    expect(blocks).toContain('bq-sftp resend --run run-1 --export shopify_customers');

    await deliver(failed);
    expect(smtp.messages()).toHaveLength(1);
    expect(slack.posts()).toHaveLength(1);
    expect(await history()).toEqual([
      expect.objectContaining({ event_type: 'extract.started', export_status: 'running' }),
      expect.objectContaining({ event_type: 'upload.failed', export_status: 'failed' }),
      expect.objectContaining({ event_type: 'notification.sent', channel: 'email' }),
      expect.objectContaining({ event_type: 'notification.sent', channel: 'slack' }),
    ]);
  });

  it('records late_rows and alerts by email and Slack when rows arrived below the watermark, once', async () => {
    const staged = { ...events.staged(runFacts('run-1')), lateRows: 3 };
    await expect(deliver(staged)).resolves.toEqual({ kind: 'ack' });
    const [mail] = await smtp.waitFor(1, 10_000);
    expect(mail?.subject).toBe(
      '[bq-sftp-export] shopify_customers: 3 rows arrived below the watermark, 2026-11-26',
    );
    expect(mail?.text).toContain('Late rows: 3');
    expect(mail?.text).toContain('lookback_seconds');
    const [post] = await slack.waitFor(1, 10_000);
    expect(JSON.stringify(post?.payload['blocks'])).toContain('3 rows arrived below the watermark');
    await deliver(staged);

    // None came in the next run: 0 in the history, no alert.
    await deliver({ ...events.empty(runFacts('run-2', 60)), lateRows: 0 });
    await deliver({
      ...events.empty(runFacts('run-3', 120)),
      lateRows: null,
      lateRowsReason: 'no_previous_snapshot',
    });
    const [rows] = await bigquery.query({
      query: `SELECT run_id, event_type, late_rows FROM \`local-project.bqx_history.export_metadata_events\`
              WHERE event_type LIKE 'extract.%' ORDER BY occurred_at`,
    });
    expect(rows).toEqual([
      { run_id: 'run-1', event_type: 'extract.staged', late_rows: 3 },
      { run_id: 'run-2', event_type: 'extract.empty', late_rows: 0 },
      { run_id: 'run-3', event_type: 'extract.empty', late_rows: null },
    ]);
    // The empty windows were run successes (notified as such), but no further alert.
    const subjects = smtp.messages().map((message) => message.subject);
    expect(subjects.filter((subject) => subject?.includes('below the watermark'))).toHaveLength(1);
    expect(
      slack.posts().filter((p) => JSON.stringify(p.payload).includes('below the watermark')),
    ).toHaveLength(1);
  });

  it('does not retry a Slack 500 and records it as notification.failed', async () => {
    slack.failNext(1, 500);
    await deliver(events.extractFailed(runFacts('run-1')));
    expect(slack.attempts() - slackAttemptsBefore).toBe(1);
    expect(slack.posts()).toHaveLength(0);
    await smtp.waitFor(1, 10_000);
    expect(await history()).toContainEqual(
      expect.objectContaining({
        event_type: 'notification.failed',
        export_status: 'notification_failed',
        channel: 'slack',
        error_code: 'SLACK_HTTP_500',
      }),
    );
  });

  it('retries a Slack 429 after Retry-After and posts once', async () => {
    slack.rateLimitNext(1, 1);
    await deliver(events.extractFailed(runFacts('run-1')));
    expect(slack.attempts() - slackAttemptsBefore).toBe(2);
    expect(slack.posts()).toHaveLength(1);
  });

  it('still writes the history when SMTP is down, and records the failed email', async () => {
    await smtp.stop();
    try {
      await expect(deliver(events.extractFailed(runFacts('run-1')))).resolves.toEqual({ kind: 'ack' });
      const rows = await history();
      expect(rows[0]).toMatchObject({ event_type: 'extract.failed', export_status: 'failed' });
      expect(rows).toContainEqual(
        expect.objectContaining({
          event_type: 'notification.failed',
          channel: 'email',
          error_code: 'SMTP_UNAVAILABLE',
        }),
      );
      expect(rows).toContainEqual(
        expect.objectContaining({ event_type: 'notification.sent', channel: 'slack' }),
      );
    } finally {
      smtp = await startSmtpSink({ auth: { username: 'mailer', password: SMTP_PASSWORD } });
    }
  });

  it('announces a recovery when the export delivers after failing', async () => {
    await deliver(events.extractFailed(runFacts('run-1', 0)));
    await deliver(events.staged(runFacts('run-2', 60)));
    await deliver(events.delivered(runFacts('run-2', 60)));
    const mails = await smtp.waitFor(2, 10_000);
    expect(mails.map((mail) => mail.subject)).toEqual([
      '[bq-sftp-export] shopify_customers FAILED, 2026-11-26',
      '[bq-sftp-export] shopify_customers recovered, 2026-11-26',
    ]);
    expect(mails[1]?.text).toContain('Rows: 42');
    const [exportState] = (
      await bigquery.query({
        query:
          'SELECT last_run_status, rows_exported, file_name FROM `local-project.bqx_history.export_metadata_exports`',
      })
    )[0] as Record<string, unknown>[];
    expect(exportState).toEqual({
      last_run_status: 'success',
      rows_exported: 42,
      file_name: 'SHOPIFYCUSTOMERDATA_20261126_050000.csv',
    });
  });
  describe('alerts (notifications.alerts)', () => {
    const subjects = () => smtp.messages().map((mail) => mail.subject);
    const headers = () =>
      slack.posts().map((post) => JSON.stringify((post.payload['blocks'] as unknown[] | undefined)?.[0]));
    const withRows = (index: number, rows: number) => ({
      ...events.delivered(runFacts(`run-${index}`, index * 60)),
      rowCount: rows,
      lastExportedValue: new Date(Date.UTC(2026, 10, 26, index)).toISOString(),
    });

    it('alerts once on a run that delivered 0 rows, by email and Slack, and not on redelivery', async () => {
      await writeConfig(smtp.port, { on_success: false, alerts: { zero_rows: true } });
      const empty = events.empty(runFacts('run-1'));
      await expect(deliver(empty)).resolves.toEqual({ kind: 'ack' });
      const [mail] = await smtp.waitFor(1, 10_000);
      expect(mail?.subject).toBe('[bq-sftp-export] ALERT shopify_customers: delivered 0 rows, 2026-11-26');
      expect(mail?.text).toContain('its window had no rows');
      const [post] = await slack.waitFor(1, 10_000);
      expect(JSON.stringify(post?.payload['blocks'])).toContain(
        ':warning: shopify_customers: delivered 0 rows',
      );
      await deliver(empty);
      await deliver(withRows(2, 5));
      expect(subjects()).toHaveLength(1);
      expect(slack.posts()).toHaveLength(1);
    });

    it('sends no zero-rows alert by default: an empty window is only a success', async () => {
      await deliver(events.empty(runFacts('run-1')));
      await smtp.waitFor(1, 10_000);
      await slack.waitFor(1, 10_000);
      expect(subjects()).toEqual(['[bq-sftp-export] shopify_customers succeeded, 2026-11-26']);
      expect(slack.posts()).toHaveLength(1);
    });

    it('alerts on a volume drop and a spike against the median of the last runs, once each', async () => {
      await writeConfig(smtp.port, { on_success: false, alerts: { volume: { runs: 3, min_runs: 3 } } });
      for (const [index, rows] of [100, 110, 90].entries()) await deliver(withRows(index, rows));
      await deliver(withRows(3, 100));
      expect(subjects()).toEqual([]);
      const drop = withRows(4, 40);
      await deliver(drop);
      await deliver(drop);
      await deliver(withRows(5, 500));
      await smtp.waitFor(2, 10_000);
      await slack.waitFor(2, 10_000);
      expect(subjects()).toEqual([
        '[bq-sftp-export] ALERT shopify_customers: volume dropped, 2026-11-26',
        '[bq-sftp-export] ALERT shopify_customers: volume spiked, 2026-11-26',
      ]);
      expect(smtp.messages()[0]?.text).toContain('This run delivered 40 rows, 0.40× the median');
      expect(headers()).toEqual([
        expect.stringContaining('volume dropped'),
        expect.stringContaining('volume spiked'),
      ]);
    });

    it("alerts when an incremental export's last_exported_value stops advancing for K runs", async () => {
      await writeConfig(smtp.port, { on_success: false, alerts: { watermark_stalled_runs: 2 } });
      await deliver(withRows(1, 10));
      await deliver(withRows(2, 10));
      const same = (index: number) => ({
        ...withRows(index, 10),
        lastExportedValue: withRows(2, 10).lastExportedValue,
      });
      await deliver(same(3));
      expect(subjects()).toEqual([]);
      await deliver(same(4));
      await deliver(same(4));
      await deliver(same(5));
      await smtp.waitFor(1, 10_000);
      await slack.waitFor(1, 10_000);
      expect(subjects()).toEqual([
        '[bq-sftp-export] ALERT shopify_customers: watermark not moving, 2026-11-26',
      ]);
      expect(smtp.messages()[0]?.text).toContain('Last exported value: 2026-11-26T02:00:00.000Z');
      expect(slack.posts()).toHaveLength(1);
    });

    it('announces a changed host key at high severity on both channels, once', async () => {
      const failed = {
        ...events.uploadFailed(runFacts('run-1')),
        error: {
          code: 'SFTP_HOST_KEY_MISMATCH',
          message: 'host key SHA256:abc is not pinned',
          retryable: false,
        },
      };
      await deliver(failed);
      await deliver(failed);
      const [mail] = await smtp.waitFor(1, 10_000);
      expect(mail?.subject).toBe(
        '[bq-sftp-export] HIGH SEVERITY: shopify_customers FAILED: SFTP host key changed, 2026-11-26',
      );
      expect(mail?.text).toContain('man-in-the-middle');
      await slack.waitFor(1, 10_000);
      expect(headers()).toEqual([expect.stringContaining(':rotating_light: HIGH SEVERITY')]);
      expect(subjects()).toHaveLength(1);
    });
  });
  describe('freshness (notifications.alerts.freshness_seconds, on freshness.tick)', () => {
    const subjects = () => smtp.messages().map((mail) => mail.subject);
    const STALE = '[bq-sftp-export] ALERT shopify_customers: no successful run in time, 2026-11-26';

    it('alerts once per stale period by email and Slack, and again only after a new run goes stale', async () => {
      await writeConfig(smtp.port, { on_success: false, alerts: { freshness_seconds: 3600 } });
      await deliver(events.delivered(runFacts('run-1'))); // 05:00:30
      await expect(tick('2026-11-26T05:30:00Z')).resolves.toEqual({ kind: 'ack' });
      expect(subjects()).toEqual([]);

      await tick('2026-11-26T06:01:00Z');
      const [mail] = await smtp.waitFor(1, 10_000);
      expect(mail?.subject).toBe(STALE);
      expect(mail?.text).toContain("The export's last successful run finished 1 h ago");
      expect(mail?.text).toContain('Last successful run: run-1 at 2026-11-26T05:00:30.000Z');
      const [post] = await slack.waitFor(1, 10_000);
      expect(JSON.stringify(post?.payload['blocks'])).toContain(
        ':warning: shopify_customers: no successful run in time',
      );
      await tick('2026-11-26T07:00:00Z');
      await tick('2026-11-26T07:00:00Z');
      expect(subjects()).toEqual([STALE]);
      expect(slack.posts()).toHaveLength(1);

      await deliver(events.delivered(runFacts('run-2', 120))); // 07:00:30: fresh again
      await tick('2026-11-26T07:30:00Z');
      expect(subjects()).toEqual([STALE]);
      await tick('2026-11-26T08:01:00Z');
      await smtp.waitFor(2, 10_000);
      await slack.waitFor(2, 10_000);
      expect(smtp.messages()[1]?.text).toContain('Last successful run: run-2 at 2026-11-26T07:00:30.000Z');
      expect(subjects()).toEqual([STALE, STALE]);
    });

    it('counts an empty window as a successful run, and a failure as none', async () => {
      await writeConfig(smtp.port, {
        on_success: false,
        on_failure: false,
        alerts: { freshness_seconds: 3600 },
      });
      await deliver(events.empty(runFacts('run-1', 60))); // 06:00
      await deliver(events.uploadFailed(runFacts('run-2', 90), false, 10));
      await tick('2026-11-26T06:59:00Z');
      expect(subjects()).toEqual([]);
      await tick('2026-11-26T07:01:00Z');
      await smtp.waitFor(1, 10_000);
      expect(subjects()).toEqual([STALE]);
    });

    it('sends nothing when freshness_seconds is not set, or when no successful run is recorded yet', async () => {
      await writeConfig(smtp.port, { on_success: false, alerts: { zero_rows: true } });
      await deliver(events.delivered(runFacts('run-1')));
      await expect(tick('2026-12-26T00:00:00Z')).resolves.toEqual({ kind: 'ack' });
      await writeConfig(smtp.port, { on_success: false, alerts: { freshness_seconds: 60 } });
      await expect(tick('2026-12-26T00:00:00Z')).resolves.toEqual({ kind: 'ack' });
      expect(subjects()).toEqual([]);
      expect(slack.posts()).toHaveLength(0);
    });

    it('refuses a tick for a config it cannot read, naming it', async () => {
      await expect(tick('2026-11-26T06:00:00Z', 'absent')).rejects.toMatchObject({
        code: 'CONFIG_NOT_FOUND',
      });
    });
  });
  describe('config-level refusals (extract.failed from the extractor)', () => {
    const refusal = (configName: string, exportName: string, code: string) => ({
      ...events.extractFailed(runFacts('run-r', 0, exportName)),
      configName,
      sourceTable: '(unknown)',
      error: { code, message: `refused: ${code}`, retryable: false },
    });

    it('records an unknown export in the history and announces it to the config targets, once', async () => {
      const failed = refusal('default', 'nope', 'EXPORT_UNKNOWN');
      await expect(deliver(failed)).resolves.toEqual({ kind: 'ack' });
      await deliver(failed);
      const [mail] = await smtp.waitFor(1, 10_000);
      expect(mail?.subject).toBe('[bq-sftp-export] nope FAILED, 2026-11-26');
      expect(mail?.text).toContain('Cause: EXPORT_UNKNOWN: refused: EXPORT_UNKNOWN');
      await slack.waitFor(1, 10_000);
      expect(smtp.messages()).toHaveLength(1);
      expect(slack.posts()).toHaveLength(1);
      expect(await history()).toEqual([
        expect.objectContaining({
          event_type: 'extract.failed',
          export_status: 'failed',
          error_code: 'EXPORT_UNKNOWN',
        }),
        expect.objectContaining({ event_type: 'notification.sent', channel: 'email' }),
        expect.objectContaining({ event_type: 'notification.sent', channel: 'slack' }),
      ]);
    });

    it('acks a refusal of an unreadable config and posts it once to the fallback Slack webhook', async () => {
      const failed = refusal('absent', '_config', 'CONFIG_NOT_FOUND');
      await expect(deliver(failed)).resolves.toEqual({ kind: 'ack' });
      await expect(deliver(failed)).resolves.toEqual({ kind: 'ack' });
      const [post] = await slack.waitFor(1, 10_000);
      expect(JSON.stringify(post?.payload['blocks'])).toContain(
        'CONFIG_NOT_FOUND: refused: CONFIG_NOT_FOUND',
      );
      expect(slack.posts()).toHaveLength(1);
      expect(smtp.messages()).toHaveLength(0);
      expect(logs.text()).toContain('config refused: announced on the fallback Slack channel');
    });

    it("acks the uploader's upload.failed for an unreadable config and posts it to the fallback webhook", async () => {
      const failed = {
        ...events.uploadFailed(runFacts('run-u')),
        configName: 'absent',
        error: {
          code: 'CONFIG_INVALID',
          message: 'config "absent" is invalid (1 problem)',
          retryable: false,
        },
      };
      await expect(deliver(failed)).resolves.toEqual({ kind: 'ack' });
      const [post] = await slack.waitFor(1, 10_000);
      expect(JSON.stringify(post?.payload['blocks'])).toContain('CONFIG_INVALID');
    });

    it('still dead-letters any other event of an unreadable config', async () => {
      const started = { ...events.started(runFacts('run-x')), configName: 'absent' };
      await expect(deliver(started)).rejects.toMatchObject({ code: 'CONFIG_NOT_FOUND' });
      expect(slack.posts()).toHaveLength(0);
    });
  });
});
