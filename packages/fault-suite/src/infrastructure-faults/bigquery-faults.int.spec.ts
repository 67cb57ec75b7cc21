import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { topologyOf, Topics } from '@bq-sftp-export/contracts';
import { queryHistory } from '@bq-sftp-export/demo';
import { generateCustomerRows, seedTables } from '@bq-sftp-export/local-cloud';
import { pollUntil } from '@bq-sftp-export/testing';

import { expectNoLeaks, seededValues } from './testing/leak-check.js';
import { KLAVIYO, SHOPIFY, startFaultStack, WAIT } from './testing/fault-stack.js';
import type { FaultStack } from './testing/fault-stack.js';

const ROWS = 40;
const requestTopology = topologyOf(Topics.exportRequests);
const requestDeadLetters = requestTopology.deadLetterSubscription;
const { dataset, table } = seedTables.shopify;

/**
 * BigQuery failing under the extractor: the source table dropped, the permission to read it
 * taken away. Each is a final failure (retrying cannot fix it): `extract.failed`, the request
 * dead-lettered, an alert, the checkpoint where it was; after the fix the next run delivers the
 * waiting rows exactly once.
 */
describe('infrastructure faults: BigQuery', () => {
  let faults: FaultStack;
  let rowOffset = 700_000;
  let recoveries = 0;

  beforeAll(async () => {
    faults = await startFaultStack({ rowsPerTable: ROWS });
    const { progress } = await faults.run({});
    expect(progress.exports().map((entry) => entry.step)).toEqual(['delivered', 'delivered']);
    await pollUntil(
      () =>
        faults.stack.cloud.smtp.messages().length === 2 && faults.stack.cloud.slack.posts().length === 2
          ? true
          : undefined,
      { describe: 'the first notifications', ...WAIT },
    );
  }, 180_000);

  afterAll(async () => {
    await faults?.stop();
  });

  /** Adds `count` rows to the shopify table, each just after the last window's high bound. */
  async function addRows(count: number): Promise<void> {
    const lastHigh = faults
      .eventsOf('extract.started')
      .filter((event) => event.exportName === SHOPIFY)
      .map((event) => Date.parse(event.window.high))
      .reduce((a, b) => Math.max(a, b));
    const rows = generateCustomerRows({
      count,
      seed: rowOffset,
      sourceType: seedTables.shopify.sourceType,
      start: new Date(lastHigh),
      idOffset: rowOffset,
    }).map((row, i) => ({ ...row, last_updated_at: new Date(lastHigh + 1 + i).toISOString() }));
    rowOffset += count;
    await faults.stack.clients.bigquery.dataset(dataset).table(table).insert(rows);
  }

  /** Runs shopify with the fault in place; checks everything a final extract failure must leave. */
  async function failingRun(code: string): Promise<void> {
    const before = await faults.checkpoint(SHOPIFY);
    const files = await faults.delivered();
    const deadLetters = faults.stack.cloud.pubsub.outstanding(requestDeadLetters).length;
    const failedSubjects = (): string[] =>
      faults.subjectsAbout(SHOPIFY).filter((subject) => subject.includes(`${SHOPIFY} FAILED`));
    const alertsBefore = failedSubjects().length;
    const postsBefore = faults.postsSaying(`${SHOPIFY} FAILED`).length;
    const { progress } = await faults.run({ exports: [SHOPIFY] });
    const [failure] = progress.failures();
    expect(failure).toMatchObject({
      exportName: SHOPIFY,
      error: { step: 'extract', code, retryable: false },
    });
    const runId = failure!.runId!;

    // Final at once: one failure, the request dead-lettered, nothing staged, nothing delivered.
    await pollUntil(() => faults.stack.cloud.pubsub.outstanding(requestDeadLetters).length, {
      describe: 'the dead letter',
      ...WAIT,
      until: (count) => count === deadLetters + 1,
    });
    expect(faults.eventsOf('extract.failed', runId)).toHaveLength(1);
    expect(faults.eventsOf('extract.staged', runId)).toHaveLength(0);
    expect(await faults.delivered()).toEqual(files);
    const after = await faults.checkpoint(SHOPIFY);
    expect(after['committed']).toEqual(before['committed']);
    expect(after['completedRunIds']).toEqual(before['completedRunIds']);
    expect(after['lease']).toBeNull();

    const history = await pollUntil(
      async () => {
        const rows = await queryHistory(
          faults.stack.clients.bigquery,
          faults.stack.config.metadataTable,
          'default',
        );
        const failed = rows.filter((row) => row.run_id === runId && row.event_type === 'extract.failed');
        return failed.length > 0 ? failed : undefined;
      },
      { describe: 'the history row', ...WAIT },
    );
    expect(history).toHaveLength(1);
    // One alert per channel, naming the code.
    await pollUntil(
      () =>
        failedSubjects().length > alertsBefore && faults.postsSaying(`${SHOPIFY} FAILED`).length > postsBefore
          ? true
          : undefined,
      { describe: 'the alert', ...WAIT },
    );
    expect(failedSubjects()).toHaveLength(alertsBefore + 1);
    const posts = faults.postsSaying(`${SHOPIFY} FAILED`).slice(postsBefore);
    expect(posts).toHaveLength(1);
    expect(JSON.stringify(posts[0]!.payload)).toContain(code);
  }

  /** After the fix: the rows that waited are delivered, once. */
  async function recoveredRun(expectedRows: number): Promise<void> {
    const files = await faults.delivered();
    const { progress } = await faults.run({ exports: [SHOPIFY] });
    const [entry] = progress.exports();
    expect(entry).toMatchObject({ step: 'delivered', rows: expectedRows });
    expect(faults.eventsOf('upload.delivered', entry!.runId)).toHaveLength(1);
    expect(await faults.delivered()).toEqual([...files, entry!.fileName].sort());
    // The tracker tells the operator the export recovered, once per channel.
    await pollUntil(
      () => (faults.postsSaying(`${SHOPIFY} recovered`).length === recoveries + 1 ? true : undefined),
      { describe: 'the recovery notice', ...WAIT },
    );
    recoveries++;
  }

  it('the source table dropped: BIGQUERY_NOT_FOUND, final, checkpoint kept; recreated, the next run delivers the rows once', async () => {
    await addRows(5);
    const backup = `${table}_backup`;
    await faults.stack.cloud.bigquery.seed([
      `CREATE TABLE ${dataset}.${backup} AS SELECT * FROM ${dataset}.${table}`,
      `DROP TABLE ${dataset}.${table}`,
    ]);
    try {
      await failingRun('BIGQUERY_NOT_FOUND');
    } finally {
      await faults.stack.cloud.bigquery.seed([
        `CREATE TABLE ${dataset}.${table} AS SELECT * FROM ${dataset}.${backup}`,
        `DROP TABLE ${dataset}.${backup}`,
      ]);
    }
    await recoveredRun(5);
  }, 240_000);

  it('permission denied on the source table: BIGQUERY_ACCESS_DENIED, final, checkpoint kept; granted again, the rows once', async () => {
    await addRows(3);
    faults.stack.cloud.bigquery.denyAccess(dataset, table);
    try {
      await failingRun('BIGQUERY_ACCESS_DENIED');
    } finally {
      faults.stack.cloud.bigquery.restoreAccess(dataset, table);
    }
    await recoveredRun(3);
  }, 240_000);

  it('BigQuery unavailable for a while: the request is retried, the rows are delivered once', async () => {
    await addRows(2);
    // Two attempts fail (403 quotaExceeded is not retried inside the client): nacked, redelivered.
    faults.stack.cloud.bigquery.failQueries(dataset, table, 2, 'quotaExceeded');
    const { progress } = await faults.run({ exports: [SHOPIFY] });
    const [entry] = progress.exports();
    expect(entry).toMatchObject({ step: 'delivered', rows: 2 });
    const runId = entry!.runId!;
    // The retried run announced its start again under the same event id; no failure event.
    const started = faults.eventsOf('extract.started', runId);
    expect(started).toHaveLength(3);
    expect(new Set(started.map((event) => event.eventId)).size).toBe(1);
    expect(faults.eventsOf('extract.failed', runId)).toEqual([]);
    expect(faults.eventsOf('extract.staged', runId)).toHaveLength(1);
    expect(faults.eventsOf('upload.delivered', runId)).toHaveLength(1);
    expect(await faults.checkpoint(SHOPIFY)).toMatchObject({ committed: { runId }, lease: null });
    await pollUntil(() => (faults.postsSaying(`${SHOPIFY} succeeded`).length === 2 ? true : undefined), {
      describe: 'the success notice',
      ...WAIT,
    });
  }, 240_000);

  it('a quota exceeded on every attempt: ten attempts, then extract.failed, the request dead-lettered and an alert', async () => {
    await addRows(1);
    const before = await faults.checkpoint(SHOPIFY);
    const files = await faults.delivered();
    const deadLetters = faults.stack.cloud.pubsub.outstanding(requestDeadLetters).length;
    const alerts = faults.postsSaying(`${SHOPIFY} FAILED`).length;
    // 403 quotaExceeded: not retried by the client library, left to Pub/Sub's redeliveries.
    faults.stack.cloud.bigquery.failQueries(dataset, table, 1000, 'quotaExceeded');
    let runId: string;
    try {
      const { progress } = await faults.run({ exports: [SHOPIFY] }, 180_000);
      const [failure] = progress.failures();
      expect(failure).toMatchObject({
        error: { step: 'extract', code: 'BIGQUERY_UNAVAILABLE', retryable: false },
      });
      runId = failure!.runId!;
      await pollUntil(() => faults.stack.cloud.pubsub.outstanding(requestDeadLetters).length, {
        describe: 'the dead letter',
        ...WAIT,
        until: (count) => count === deadLetters + 1,
      });
    } finally {
      faults.stack.cloud.bigquery.failQueries(dataset, table, 0);
    }
    expect(faults.eventsOf('extract.failed', runId)).toEqual([
      expect.objectContaining({ attempt: requestTopology.maxDeliveryAttempts }),
    ]);
    expect(faults.eventsOf('extract.staged', runId)).toEqual([]);
    expect(await faults.delivered()).toEqual(files);
    const after = await faults.checkpoint(SHOPIFY);
    expect(after['committed']).toEqual(before['committed']);
    expect(after['lease']).toBeNull();
    await pollUntil(
      () => (faults.postsSaying(`${SHOPIFY} FAILED`).length === alerts + 1 ? true : undefined),
      { describe: 'the alert', ...WAIT },
    );
    // The quota is back: the next run delivers the waiting row.
    await recoveredRun(1);
  }, 240_000);

  it('the history table refusing inserts for a while: tracker-notifier retries; one row per event, one notice per channel', async () => {
    await addRows(1);
    const [historyDataset, historyTable] = faults.stack.config.metadataTable.split('.').slice(-2) as [
      string,
      string,
    ];
    const successes = faults.postsSaying(`${SHOPIFY} `).length;
    const mails = faults.subjectsAbout(SHOPIFY).length;
    faults.stack.cloud.bigquery.failInserts(historyDataset, historyTable, 3, 'quotaExceeded');
    const { progress } = await faults.run({ exports: [SHOPIFY] });
    const [entry] = progress.exports();
    expect(entry).toMatchObject({ step: 'delivered', rows: 1 });
    const runId = entry!.runId!;
    const rows = await pollUntil(
      async () => {
        const found = (
          await queryHistory(faults.stack.clients.bigquery, faults.stack.config.metadataTable, 'default')
        ).filter((row) => row.run_id === runId);
        return found.filter((row) => row.event_type === 'notification.sent').length === 2 ? found : undefined;
      },
      { describe: 'the history rows', ...WAIT },
    );
    expect(rows.map((row) => `${row.event_type}/${row.notification_channel ?? ''}`).sort()).toEqual([
      'extract.staged/',
      'extract.started/',
      'notification.sent/email',
      'notification.sent/slack',
      'upload.delivered/',
    ]);
    expect(faults.postsSaying(`${SHOPIFY} `)).toHaveLength(successes + 1);
    expect(faults.subjectsAbout(SHOPIFY)).toHaveLength(mails + 1);
  }, 240_000);

  it('the other export was never touched, and no log holds a secret or an exported value', async () => {
    const klaviyoRuns = faults.eventsOf('extract.started').filter((event) => event.exportName === KLAVIYO);
    expect(klaviyoRuns).toHaveLength(1);
    expectNoLeaks(await faults.logs(), [faults.password], await seededValues(faults.stack));
  }, 60_000);
});
