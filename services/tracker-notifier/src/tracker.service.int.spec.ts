import { EventEmitter } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { BigQuery } from '@google-cloud/bigquery';
import { PubSub } from '@google-cloud/pubsub';
import { Storage } from '@google-cloud/storage';
import { ensureTopology } from '@bq-sftp-export/cloud';
import { encodeMessage, Topics } from '@bq-sftp-export/contracts';
import { clientOptions as bigQueryClientOptions, startLocalBigQuery } from '@bq-sftp-export/local-bigquery';
import type { LocalBigQuery } from '@bq-sftp-export/local-bigquery';
import { clientOptions as gcsClientOptions, startLocalGcs } from '@bq-sftp-export/local-gcs';
import type { LocalGcs } from '@bq-sftp-export/local-gcs';
import { clientOptions as pubsubClientOptions, startLocalPubSub } from '@bq-sftp-export/local-pubsub';
import type { LocalPubSub } from '@bq-sftp-export/local-pubsub';
import { startSlackSink, startSmtpSink } from '@bq-sftp-export/local-sinks';
import type { SlackSink, SmtpSink } from '@bq-sftp-export/local-sinks';
import { LogCapture, runMessageService } from '@bq-sftp-export/runtime';
import type { RunningService, ServiceProcess } from '@bq-sftp-export/runtime';
import { pollUntil } from '@bq-sftp-export/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { events, runFacts } from './domain/testing/events.js';
import { testConfigFile } from './testing/fakes.js';
import { freePort } from './testing/free-port.js';
import { trackerService } from './tracker.service.js';

const PROJECT = 'local-project';
const BUCKET = 'bqx-staging';

class FakeProcess extends EventEmitter implements ServiceProcess {
  readonly exits: number[] = [];
  exit(code: number): void {
    this.exits.push(code);
  }
}

const WAIT_FOR_HISTORY = { describe: 'three history rows', timeoutMs: 30_000, intervalMs: 100 } as const;

describe('tracker-notifier service (runMessageService on the local cloud)', () => {
  let pubsubServer: LocalPubSub;
  let gcs: LocalGcs;
  let bigQueryServer: LocalBigQuery;
  let smtp: SmtpSink;
  let slack: SlackSink;
  let configDirectory: string;
  let pubsub: PubSub;
  let service: RunningService | undefined;
  const host = new FakeProcess();
  const logs = new LogCapture();

  beforeAll(async () => {
    [pubsubServer, gcs, bigQueryServer, smtp, slack] = await Promise.all([
      startLocalPubSub(),
      startLocalGcs(),
      startLocalBigQuery({ projectId: PROJECT }),
      startSmtpSink(),
      startSlackSink(),
    ]);
    pubsub = new PubSub(pubsubClientOptions(pubsubServer.host, PROJECT));
    await ensureTopology(pubsub);
    await new Storage(gcsClientOptions(gcs.endpoint)).createBucket(BUCKET);
    configDirectory = await mkdtemp(path.join(tmpdir(), 'tracker-service-'));
    const email = {
      to: ['ops@example.com'],
      from: 'bqx@example.com',
      smtp_host: '127.0.0.1',
      smtp_port: smtp.port,
    };
    await writeFile(
      path.join(configDirectory, 'default.json'),
      JSON.stringify(testConfigFile({ email, slack: {} }, 'bqx_history.export_metadata')),
    );
    service = await runMessageService({
      ...trackerService({
        GOOGLE_CLOUD_PROJECT: PROJECT,
        PUBSUB_EMULATOR_HOST: pubsubServer.emulatorHost,
        STORAGE_EMULATOR_HOST: gcs.endpoint,
        BIGQUERY_EMULATOR_HOST: bigQueryServer.endpoint,
        STAGING_BUCKET: BUCKET,
        CONFIG_SOURCE: configDirectory,
        SLACK_WEBHOOK_URL: slack.url,
        PORT: String(await freePort()),
        TRANSPORT: 'pull',
      }),
      process: host,
      logDestination: logs,
    });
  });

  afterAll(async () => {
    await service?.stop('test over');
    await pubsub.close();
    await Promise.all([pubsubServer.stop(), gcs.stop(), bigQueryServer.stop(), smtp.stop(), slack.stop()]);
    await rm(configDirectory, { recursive: true, force: true });
  });

  it('consumes export.events from Pub/Sub: history row, one email, one Slack message, ledger, ack', async () => {
    expect(service).toBeDefined();
    const failed = events.uploadFailed(runFacts('run-1'), false, 1);
    const { data, attributes } = encodeMessage('export.events', failed);
    await pubsub.topic(Topics.exportEvents).publishMessage({ data, attributes });

    const [mail] = await smtp.waitFor(1, 30_000);
    expect(mail?.subject).toBe('[bq-sftp-export] shopify_customers FAILED, 2026-11-26');
    await slack.waitFor(1, 30_000);

    const bigquery = new BigQuery(bigQueryClientOptions(bigQueryServer.endpoint, PROJECT));
    const rows = await pollUntil(async () => {
      const [result] = await bigquery
        .query({
          query: `SELECT event_type, export_status FROM \`${PROJECT}.bqx_history.export_metadata_events\` ORDER BY event_type`,
        })
        .catch(() => [[]]);
      return (result as unknown[]).length >= 3 ? (result as Record<string, unknown>[]) : undefined;
    }, WAIT_FOR_HISTORY);
    expect(rows).toEqual([
      { event_type: 'notification.sent', export_status: 'notified' },
      { event_type: 'notification.sent', export_status: 'notified' },
      { event_type: 'upload.failed', export_status: 'failed' },
    ]);
    expect(gcs.listObjects(BUCKET).map((object) => object.name)).toEqual([
      'notifications/default/shopify_customers/runs/run-1/failure.email.json',
      'notifications/default/shopify_customers/runs/run-1/failure.slack.json',
      'notifications/default/shopify_customers/state.json',
    ]);
    await pollUntil(
      () => (pubsubServer.outstanding('tracker-notifier.export-events').length === 0 ? true : undefined),
      { describe: 'the ack of the event', timeoutMs: 30_000, intervalMs: 100 },
    );
    expect(host.exits).toEqual([]);
    expect(logs.text()).not.toContain(slack.url);
  });

  it('consumes a scheduler freshness.tick from the same topic and acks it (no freshness_seconds set)', async () => {
    await pubsub.topic(Topics.exportEvents).publishMessage({
      data: Buffer.from('{"type": "freshness.tick", "config": "default"}'),
      attributes: { eventType: 'freshness.tick', schemaVersion: '1' },
    });
    await pollUntil(
      () => (logs.text().includes('freshness tick: no freshness_seconds configured') ? true : undefined),
      { describe: 'the tick handled', timeoutMs: 30_000, intervalMs: 100 },
    );
    await pollUntil(
      () => (pubsubServer.outstanding('tracker-notifier.export-events').length === 0 ? true : undefined),
      { describe: 'the ack of the tick', timeoutMs: 30_000, intervalMs: 100 },
    );
    expect(pubsubServer.outstanding('ops.export-events.dead-letter')).toEqual([]);
    expect(host.exits).toEqual([]);
  });
});
