import { BigQuery } from '@google-cloud/bigquery';
import { clientOptions, startLocalBigQuery } from '@bq-sftp-export/local-bigquery';
import type { LocalBigQuery } from '@bq-sftp-export/local-bigquery';
import type { ExportEvent } from '@bq-sftp-export/contracts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';

import { HISTORY_COLUMNS } from '../domain/history-columns.js';
import { historyRowOf } from '../domain/history-row.js';
import type { HistoryRow } from '../domain/history-row.js';
import { notificationEventOf } from '../domain/notification-event.js';
import { events, runFacts, windowOf } from '../domain/testing/events.js';
import { BigQueryHistoryWriter } from './bigquery-history-writer.adapter.js';

const TABLE = 'bqx_history.export_metadata';
const recordedAt = new Date('2026-11-26T06:00:00Z');

/** BigQuery hands TIMESTAMPs back as objects with `value`; compare instants as epoch millis. */
function plain(value: unknown): unknown {
  if (value !== null && typeof value === 'object' && 'value' in value) {
    const text = String(value.value);
    const millis = Date.parse(text);
    return Number.isNaN(millis) ? text : millis;
  }
  return value;
}

function normalise(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).map(([key, value]) => [key, plain(value)]));
}

function expected(row: HistoryRow): Record<string, unknown> {
  const timestamps = new Set(HISTORY_COLUMNS.filter((c) => c.type === 'TIMESTAMP').map((c) => c.name));
  return Object.fromEntries(
    Object.entries(row).map(([key, value]) => [
      key,
      timestamps.has(key) && typeof value === 'string' ? Date.parse(value) : value,
    ]),
  );
}

describe('BigQueryHistoryWriter (local BigQuery, real client)', () => {
  let local: LocalBigQuery;
  let bigquery: BigQuery;

  beforeAll(async () => {
    // No insertId memory: a replay reaches the table, so the views alone must de-duplicate.
    local = await startLocalBigQuery({ projectId: 'local-project', insertIdWindowMs: 0 });
    bigquery = new BigQuery(clientOptions(local.endpoint, local.projectId));
  });
  afterAll(async () => {
    await local.stop();
  });
  beforeEach(async () => {
    await local.reset();
  });

  async function select(sql: string): Promise<Record<string, unknown>[]> {
    const [rows] = await bigquery.query({ query: sql });
    return (rows as Record<string, unknown>[]).map(normalise);
  }

  const run1 = runFacts('run-1', 0);
  const run2 = runFacts('run-2', 60);
  const run3 = runFacts('run-3', 120);
  const failure = events.extractFailed(run3);
  const allEvents: ExportEvent[] = [
    events.started(run1),
    events.staged(run1),
    events.uploadFailed(run1, true, 1),
    events.delivered(run1),
    events.duplicate(run1),
    events.started(run2),
    events.staged(run2),
    events.delivered(run2),
    events.skipped(runFacts('run-2b', 61)),
    events.started(run3),
    failure,
    notificationEventOf({
      cause: failure,
      result: 'failure',
      outcome: 'failure',
      channel: 'email',
      at: recordedAt,
    }),
    notificationEventOf({
      cause: failure,
      result: 'failure',
      outcome: 'failure',
      channel: 'slack',
      at: recordedAt,
      error: { code: 'SLACK_HTTP_500', message: 'Slack post failed: HTTP 500', retryable: false },
    }),
    events.empty(runFacts('run-0', -60, 'klaviyo_customers')),
  ];

  it('creates the dataset and table and lands every event kind with the right columns', async () => {
    const writer = new BigQueryHistoryWriter(bigquery);
    const rows = allEvents.map((event) => historyRowOf(event, recordedAt));
    await writer.append(TABLE, rows);

    const stored = await select(`SELECT * FROM \`local-project.${TABLE}\` ORDER BY occurred_at, event_id`);
    const want = [...rows].sort(
      (a, b) => Date.parse(a.occurred_at) - Date.parse(b.occurred_at) || a.event_id.localeCompare(b.event_id),
    );
    expect(stored).toEqual(want.map(expected));
    expect(new Set(stored.map((row) => row['event_type']))).toEqual(
      new Set([
        'extract.started',
        'extract.staged',
        'extract.empty',
        'extract.skipped',
        'extract.failed',
        'upload.delivered',
        'upload.duplicate',
        'upload.failed',
        'notification.sent',
        'notification.failed',
      ]),
    );
  });

  it('a 403 quotaExceeded on insert is retryable, and the rows go in on the next attempt', async () => {
    const writer = new BigQueryHistoryWriter(bigquery);
    const rows = [historyRowOf(events.started(run1), recordedAt)];
    await writer.append(TABLE, rows);
    const [dataset, table] = TABLE.split('.') as [string, string];
    local.failInserts(dataset, table, 1, 'quotaExceeded');
    await expect(writer.append(TABLE, rows)).rejects.toMatchObject({
      code: 'HISTORY_WRITE_FAILED',
      retryable: true,
    });
    await writer.append(TABLE, [historyRowOf(events.staged(run1), recordedAt)]);
    const stored = await select(`SELECT event_type FROM \`local-project.${TABLE}\` ORDER BY occurred_at`);
    expect(stored.map((row) => row['event_type'])).toEqual(['extract.started', 'extract.staged']);
  });

  it('leaves the views unchanged when every event is written twice', async () => {
    const rows = allEvents.map((event) => historyRowOf(event, recordedAt));
    await new BigQueryHistoryWriter(bigquery).append(TABLE, rows);
    const views = async () => ({
      events: await select(`SELECT * FROM \`local-project.${TABLE}_events\` ORDER BY event_id`),
      runs: await select(`SELECT * FROM \`local-project.${TABLE}_runs\` ORDER BY export_name, run_id`),
      exports: await select(`SELECT * FROM \`local-project.${TABLE}_exports\` ORDER BY export_name`),
    });
    const before = await views();

    // A fresh writer (a restarted service) replays all events, one by one, recorded later.
    const replay = new BigQueryHistoryWriter(bigquery);
    for (const event of allEvents)
      await replay.append(TABLE, [historyRowOf(event, new Date('2026-11-26T07:00:00Z'))]);
    const [{ total }] = (await select(`SELECT COUNT(*) AS total FROM \`local-project.${TABLE}\``)) as [
      { total: number },
    ];
    expect(total).toBe(allEvents.length * 2);
    expect(await views()).toEqual(before);
    expect(before.events).toHaveLength(allEvents.length);
    expect(Object.keys(before.runs[0]!)).toContain('late_rows');
    expect(before.runs.map((run) => [run['run_id'], run['export_status']])).toEqual([
      ['run-0', 'success'],
      ['run-1', 'success'],
      ['run-2', 'success'],
      ['run-2b', 'skipped'],
      ['run-3', 'failed'],
    ]);
  });

  it('gives per export the last run and the last delivered watermark, rows and file', async () => {
    await new BigQueryHistoryWriter(bigquery).append(
      TABLE,
      allEvents.map((event) => historyRowOf(event, recordedAt)),
    );
    const [shopify, klaviyo] = await select(
      `SELECT * FROM \`local-project.${TABLE}_exports\` ORDER BY export_name DESC`,
    );
    expect(shopify).toMatchObject({
      export_name: 'shopify_customers',
      last_run_id: 'run-3',
      last_run_status: 'failed',
      last_error_code: 'BIGQUERY_QUERY_FAILED',
      last_success_run_id: 'run-2',
      last_export_timestamp: Date.parse(windowOf(run2).high),
      last_exported_value: '2026-11-26T04:59:59.5Z',
      last_delivered_run_id: 'run-2',
      rows_exported: 42,
      file_name: 'SHOPIFYCUSTOMERDATA_20261126_050000.csv',
      remote_path: '/To_Verite/SHOPIFYCUSTOMERDATA_20261126_050000.csv',
    });
    expect(klaviyo).toMatchObject({
      export_name: 'klaviyo_customers',
      last_run_status: 'success',
      last_export_timestamp: Date.parse(windowOf(runFacts('run-0', -60)).high),
      last_delivered_run_id: null,
      file_name: null,
    });
  });

  it("extends a seed metadata table in place and keeps the seed's rows", async () => {
    await local.seed([
      'CREATE SCHEMA bqx_history',
      `CREATE TABLE bqx_history.export_metadata (
        export_name STRING NOT NULL, source_table STRING NOT NULL, last_export_timestamp TIMESTAMP,
        last_exported_value STRING, rows_exported INT64, file_name STRING, export_status STRING,
        started_at TIMESTAMP, completed_at TIMESTAMP, error_message STRING)`,
      `INSERT INTO bqx_history.export_metadata (export_name, source_table, export_status, rows_exported)
       VALUES ('shopify_customers', 'prod_staging.shopify_customerdata', 'success', 7)`,
    ]);
    await new BigQueryHistoryWriter(bigquery).append(TABLE, [
      historyRowOf(events.delivered(run1), recordedAt),
    ]);
    const rows = await select(
      `SELECT export_name, rows_exported, run_id, event_type FROM \`local-project.${TABLE}\` ORDER BY rows_exported`,
    );
    expect(rows).toEqual([
      { export_name: 'shopify_customers', rows_exported: 7, run_id: null, event_type: null },
      {
        export_name: 'shopify_customers',
        rows_exported: 42,
        run_id: 'run-1',
        event_type: 'upload.delivered',
      },
    ]);
    const [metadata] = await bigquery.dataset('bqx_history').table('export_metadata').getMetadata();
    const fields = (metadata as { schema: { fields: { name: string }[] } }).schema.fields.map((f) => f.name);
    expect(fields).toEqual(HISTORY_COLUMNS.map((column) => column.name));
  });
});
