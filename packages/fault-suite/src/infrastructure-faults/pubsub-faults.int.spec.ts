import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { decodeMessage, topologyOf, Topics } from '@bq-sftp-export/contracts';
import type { FileReady } from '@bq-sftp-export/contracts';
import { queryHistory } from '@bq-sftp-export/demo';
import { generateCustomerRows, seedTables } from '@bq-sftp-export/local-cloud';
import { pollUntil } from '@bq-sftp-export/testing';

import { expectNoLeaks, seededValues } from './testing/leak-check.js';
import { KLAVIYO, SHOPIFY, startFaultStack, WAIT } from './testing/fault-stack.js';
import type { FaultStack } from './testing/fault-stack.js';

const ROWS = 40;
const fileReady = topologyOf(Topics.fileReady);

/**
 * Pub/Sub failing to take a publish: refused (UNAVAILABLE, nothing stored) or taken with the
 * answer lost (stored, then UNAVAILABLE, so the retry publishes a copy). Publishers retry; the
 * consumers are idempotent on business keys: nothing lost, nothing doubled, no torn state.
 */
describe('infrastructure faults: Pub/Sub publishes', () => {
  let faults: FaultStack;

  beforeAll(async () => {
    faults = await startFaultStack({ rowsPerTable: ROWS });
  }, 180_000);

  afterAll(async () => {
    await faults?.stop();
  });

  /** The `file.ready` messages stored on the topic for a run (copies included). */
  const fileReadyOf = (runId: string): FileReady[] =>
    faults.stack.cloud.pubsub
      .published(fileReady.topic)
      .map((message) => decodeMessage('file.ready', message.data, message.attributes))
      .filter((message) => message.runId === runId);

  async function drained(): Promise<void> {
    await pollUntil(
      () =>
        [fileReady.subscription, topologyOf(Topics.exportEvents).subscription].every(
          (subscription) => faults.stack.cloud.pubsub.outstanding(subscription).length === 0,
        )
          ? true
          : undefined,
      { describe: 'the subscriptions drained', ...WAIT },
    );
  }

  /**
   * The run delivered its file once: one SFTP connection, one delivery (a duplicate republishes
   * the recorded event, same id), one new file, the checkpoint moved and its lease released.
   */
  async function deliveredOnce(
    runId: string,
    exportName: string,
    before: { files: readonly string[]; connections: number },
  ): Promise<void> {
    const delivered = faults.eventsOf('upload.delivered', runId);
    expect(new Set(delivered.map((event) => event.eventId)).size).toBe(1);
    expect(faults.proxy.accepted()).toBe(before.connections + 1);
    expect(await faults.delivered()).toEqual([...before.files, delivered[0]!.fileName].sort());
    const checkpoint = await faults.checkpoint(exportName);
    expect(checkpoint['committed']).toMatchObject({ runId });
    expect(checkpoint['lease']).toBeNull();
  }

  it('file.ready refused twice: the extractor retries the publish, the file is announced and delivered once', async () => {
    const before = { files: await faults.delivered(), connections: faults.proxy.accepted() };
    faults.stack.cloud.pubsub.failPublishes(fileReady.topic, 2);
    const { progress } = await faults.run({ exports: [SHOPIFY] });
    const [entry] = progress.exports();
    expect(entry).toMatchObject({ step: 'delivered', rows: ROWS });
    const runId = entry!.runId!;
    await drained();
    expect(fileReadyOf(runId)).toHaveLength(1);
    expect(faults.eventsOf('upload.duplicate', runId)).toHaveLength(0);
    await deliveredOnce(runId, SHOPIFY, before);
  }, 240_000);

  it('file.ready stored but the answer lost twice: three copies on the topic, one upload, the copies acknowledged as duplicates', async () => {
    const before = { files: await faults.delivered(), connections: faults.proxy.accepted() };
    faults.stack.cloud.pubsub.failPublishes(fileReady.topic, 2, { afterStoring: true });
    const { progress } = await faults.run({ exports: [KLAVIYO] });
    const [entry] = progress.exports();
    expect(entry).toMatchObject({ step: 'delivered', rows: ROWS });
    const runId = entry!.runId!;
    await drained();
    const copies = fileReadyOf(runId);
    expect(copies).toHaveLength(3);
    expect(new Set(copies.map((copy) => copy.eventId)).size).toBe(1);
    await pollUntil(() => (faults.eventsOf('upload.duplicate', runId).length === 2 ? true : undefined), {
      describe: 'the copies settled',
      ...WAIT,
    });
    // The recorded delivery is republished with each duplicate: three copies of one event.
    expect(faults.eventsOf('upload.delivered', runId)).toHaveLength(3);
    await deliveredOnce(runId, KLAVIYO, before);
  }, 240_000);

  it('export-events stored but the answer lost: the copies are one history row each and one notification per channel', async () => {
    const lastHigh = Math.max(
      ...faults
        .eventsOf('extract.started')
        .filter((event) => event.exportName === SHOPIFY)
        .map((event) => Date.parse(event.window.high)),
    );
    const added = generateCustomerRows({
      count: 4,
      seed: 800_000,
      sourceType: seedTables.shopify.sourceType,
      start: new Date(lastHigh),
      idOffset: 800_000,
    }).map((row, i) => ({ ...row, last_updated_at: new Date(lastHigh + 1 + i).toISOString() }));
    await faults.stack.clients.bigquery
      .dataset(seedTables.shopify.dataset)
      .table(seedTables.shopify.table)
      .insert(added);
    const before = { files: await faults.delivered(), connections: faults.proxy.accepted() };
    await pollUntil(() => (faults.postsSaying(`${KLAVIYO} succeeded`).length === 1 ? true : undefined), {
      describe: 'earlier notifications',
      ...WAIT,
    });
    const posts = faults.stack.cloud.slack.posts().length;
    faults.stack.cloud.pubsub.failPublishes(Topics.exportEvents, 3, { afterStoring: true });
    const { progress } = await faults.run({ exports: [SHOPIFY] });
    const [entry] = progress.exports();
    expect(entry).toMatchObject({ step: 'delivered', rows: 4 });
    const runId = entry!.runId!;
    await drained();
    await deliveredOnce(runId, SHOPIFY, before);

    // The tap saw copies (same event id); the history keeps one row per event.
    const events = faults.tap.events().filter((event) => event.runId === runId);
    expect(events.length).toBeGreaterThan(new Set(events.map((event) => event.eventId)).size);
    const history = await pollUntil(
      async () => {
        const rows = (
          await queryHistory(faults.stack.clients.bigquery, faults.stack.config.metadataTable, 'default')
        ).filter((row) => row.run_id === runId);
        return rows.some((row) => row.event_type === 'upload.delivered') &&
          rows.filter((row) => row.event_type === 'notification.sent').length === 2
          ? rows
          : undefined;
      },
      { describe: 'the history rows', ...WAIT },
    );
    const types = history.map((row) => `${row.event_type}/${row.notification_channel ?? ''}`).sort();
    expect(types).toEqual([...new Set(types)]);
    expect(types).toEqual(
      expect.arrayContaining([
        'extract.started/',
        'extract.staged/',
        'upload.delivered/',
        'notification.sent/email',
      ]),
    );
    expect(faults.stack.cloud.slack.posts().slice(posts)).toHaveLength(1);
  }, 240_000);

  it('no log holds the SFTP password or an exported value', async () => {
    expectNoLeaks(await faults.logs(), [faults.password], await seededValues(faults.stack));
  }, 60_000);
});
