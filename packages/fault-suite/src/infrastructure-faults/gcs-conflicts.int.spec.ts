import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import path from 'node:path';
import { readFile } from 'node:fs/promises';

import { decodeMessage, topologyOf, Topics } from '@bq-sftp-export/contracts';
import { DEMO_CONFIG_NAME, queryHistory, startService } from '@bq-sftp-export/demo';
import type { ServiceProcess } from '@bq-sftp-export/demo';
import { pollUntil } from '@bq-sftp-export/testing';

import { expectNoLeaks, seededValues } from './testing/leak-check.js';
import { KLAVIYO, repoRoot, SHOPIFY, startFaultStack, WAIT } from './testing/fault-stack.js';
import type { FaultStack } from './testing/fault-stack.js';

const ROWS = 40;

/**
 * Cloud Storage compare-and-swap conflicts: another writer changes a state object between a
 * service's read and its conditional write (`beforeNextWrite` of the local GCS holds that write
 * while the other writer goes first), so the write fails with 412. The state stays whole, the
 * writer that got there first wins, nothing is done twice.
 */
describe('infrastructure faults: Cloud Storage precondition conflicts', () => {
  let faults: FaultStack;
  let secondExtractor: ServiceProcess | undefined;
  const secondLogs = (): string => path.join(faults.workDir, 'second-extractor');

  beforeAll(async () => {
    faults = await startFaultStack({ rowsPerTable: ROWS });
    const { progress } = await faults.run({});
    expect(progress.exports().map((entry) => entry.step)).toEqual(['delivered', 'delivered']);
    await pollUntil(() => (faults.stack.cloud.slack.posts().length === 2 ? true : undefined), {
      describe: 'the first notifications',
      ...WAIT,
    });
  }, 180_000);

  afterAll(async () => {
    await secondExtractor?.stop();
    await faults?.stop();
  });

  it('checkpoint: a second extractor takes the lease between the first one’s read and write; the first is skipped, one file is delivered', async () => {
    const bucket = faults.stack.cloud.stagingBucket;
    const checkpointName = `checkpoints/${DEMO_CONFIG_NAME}/${SHOPIFY}.json`;
    const before = { files: await faults.delivered(), staged: faults.eventsOf('extract.staged').length };
    let secondRequest: string | undefined;
    const raced = faults.stack.cloud.gcs.beforeNextWrite(bucket, checkpointName, async () => {
      // The first run has read the checkpoint and is writing its lease: a second extractor
      // starts now and takes the second request (the first one is busy: one message at a time).
      // It holds its lease for 5 s (a fault-injection pause), so the first run's retried write
      // surely finds it.
      secondExtractor = await startService('extractor', {
        repoRoot,
        env: {
          PATH: process.env['PATH'] ?? '',
          ...faults.stack.env,
          BQX_FAULT_INJECTION: 'extractor.lease-taken:pause+5000ms',
        },
        logDirectory: secondLogs(),
      });
      await secondExtractor.started;
      secondRequest = await faults.request({ exports: [SHOPIFY], mode: 'full' });
      await pollUntil(async () => ((await faults.checkpoint(SHOPIFY))['lease'] === null ? undefined : true), {
        describe: 'the second run’s lease',
        ...WAIT,
      });
    });
    const firstRequest = await faults.request({ exports: [SHOPIFY], mode: 'full' });
    await raced;

    const winner = await pollUntil(
      () => faults.eventsOf('extract.started').find((event) => event.requestId === secondRequest),
      { describe: 'the second run', ...WAIT },
    );
    const delivered = await pollUntil(() => faults.eventsOf('upload.delivered', winner.runId)[0], {
      describe: 'the delivery',
      ...WAIT,
    });
    const skipped = await pollUntil(
      () => faults.eventsOf('extract.skipped').find((event) => event.leaseHolderRunId === winner.runId),
      { describe: 'the first run skipped', ...WAIT },
    );
    expect(skipped.exportName).toBe(SHOPIFY);
    expect(faults.eventsOf('extract.started').filter((event) => event.requestId === firstRequest)).toEqual(
      [],
    );
    await pollUntil(
      () =>
        [Topics.exportRequests, Topics.fileReady].every(
          (topic) => faults.stack.cloud.pubsub.outstanding(topologyOf(topic).subscription).length === 0,
        )
          ? true
          : undefined,
      { describe: 'the subscriptions drained', ...WAIT },
    );

    // One run staged, announced and delivered one file; the checkpoint names it, lease released.
    expect(faults.eventsOf('extract.staged')).toHaveLength(before.staged + 1);
    const announced = faults.stack.cloud.pubsub
      .published(Topics.fileReady)
      .map((message) => decodeMessage('file.ready', message.data, message.attributes))
      .filter((message) => message.exportName === SHOPIFY && message.mode === 'full');
    expect(announced.map((message) => message.runId)).toEqual([winner.runId]);
    expect(faults.eventsOf('upload.delivered', winner.runId)).toHaveLength(1);
    expect(await faults.delivered()).toEqual([...before.files, delivered.fileName].sort());
    expect(await faults.checkpoint(SHOPIFY)).toMatchObject({ lease: null });
    for (const topic of [Topics.exportRequests, Topics.fileReady]) {
      expect(faults.stack.cloud.pubsub.outstanding(topologyOf(topic).deadLetterSubscription)).toHaveLength(0);
    }
  }, 240_000);

  it('tracker state: another writer changes the export’s state between read and write; retried, one history row per event, one notification per channel', async () => {
    const bucket = faults.stack.cloud.stagingBucket;
    const stateName = `notifications/${DEMO_CONFIG_NAME}/${KLAVIYO}/state.json`;
    const mails = faults.subjectsAbout(KLAVIYO).length;
    const posts = faults.postsSaying(`${KLAVIYO} succeeded`).length;
    const raced = faults.stack.cloud.gcs.beforeNextWrite(bucket, stateName, async () => {
      // Another tracker instance rewrote the state (same content, a new generation).
      const current = await faults.stack.cloud.gcs.readObject(bucket, stateName);
      await faults.stack.clients.storage.bucket(bucket).file(stateName).save(current, { resumable: false });
    });
    const { progress } = await faults.run({ exports: [KLAVIYO], mode: 'full' });
    const [entry] = progress.exports();
    expect(entry).toMatchObject({ step: 'delivered', rows: ROWS });
    const runId = entry!.runId!;
    await raced;

    const history = await pollUntil(
      async () => {
        const rows = (
          await queryHistory(
            faults.stack.clients.bigquery,
            faults.stack.config.metadataTable,
            DEMO_CONFIG_NAME,
          )
        ).filter((row) => row.run_id === runId);
        return rows.filter((row) => row.event_type === 'notification.sent').length === 2 ? rows : undefined;
      },
      { describe: 'the history rows', ...WAIT },
    );
    const kinds = history.map((row) => `${row.event_type}/${row.notification_channel ?? ''}`).sort();
    expect(kinds).toEqual([
      'extract.staged/',
      'extract.started/',
      'notification.sent/email',
      'notification.sent/slack',
      'upload.delivered/',
    ]);
    expect(faults.subjectsAbout(KLAVIYO)).toHaveLength(mails + 1);
    expect(faults.postsSaying(`${KLAVIYO} succeeded`)).toHaveLength(posts + 1);
    const state = JSON.parse(
      (await faults.stack.cloud.gcs.readObject(bucket, stateName)).toString('utf8'),
    ) as unknown;
    expect(JSON.stringify(state)).toContain(runId);
  }, 240_000);

  it('no log holds the SFTP password or an exported value', async () => {
    const second = await readFile(path.join(secondLogs(), 'extractor.log'), 'utf8');
    expectNoLeaks(`${await faults.logs()}\n${second}`, [faults.password], await seededValues(faults.stack));
  }, 60_000);
});
