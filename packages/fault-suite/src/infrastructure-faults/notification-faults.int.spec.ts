import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { topologyOf, Topics } from '@bq-sftp-export/contracts';
import { DEMO_CONFIG_NAME, queryHistory } from '@bq-sftp-export/demo';
import { pollUntil } from '@bq-sftp-export/testing';

import { expectNoLeaks, seededValues } from './testing/leak-check.js';
import { KLAVIYO, SHOPIFY, startFaultStack, WAIT } from './testing/fault-stack.js';
import type { FaultStack } from './testing/fault-stack.js';

const ROWS = 30;
const events = topologyOf(Topics.exportEvents);

/**
 * The mail server and Slack failing while tracker-notifier announces a delivery: the delivery
 * and its history stay whole, what can be retried safely is retried, what may have been sent is
 * recorded and not sent again, and a failed notification never fails (or loops) the event.
 */
describe('infrastructure faults: email and Slack', () => {
  let faults: FaultStack;

  beforeAll(async () => {
    faults = await startFaultStack({ rowsPerTable: ROWS });
  }, 180_000);

  afterAll(async () => {
    await faults?.stop();
  });

  /** The run's history rows as `event_type/channel`, once both channels have a row. */
  async function historyKinds(runId: string): Promise<string[]> {
    const rows = await pollUntil(
      async () => {
        const found = (
          await queryHistory(
            faults.stack.clients.bigquery,
            faults.stack.config.metadataTable,
            DEMO_CONFIG_NAME,
          )
        ).filter((row) => row.run_id === runId);
        const notified = found.filter((row) => row.notification_channel !== null);
        return notified.length === 2 ? found : undefined;
      },
      { describe: 'the notification rows', ...WAIT },
    );
    return rows.map((row) => `${row.event_type}/${row.notification_channel ?? ''}`).sort();
  }

  async function drained(): Promise<void> {
    await pollUntil(
      () => (faults.stack.cloud.pubsub.outstanding(events.subscription).length === 0 ? true : undefined),
      { describe: 'export-events drained', ...WAIT },
    );
    expect(faults.stack.cloud.pubsub.outstanding(events.deadLetterSubscription)).toHaveLength(0);
  }

  it('SMTP refusing twice (451) and Slack answering 500: the email is retried and sent once, the Slack failure recorded and not repeated', async () => {
    const slackAttempts = faults.stack.cloud.slack.attempts();
    faults.stack.cloud.smtp.failNext(2);
    faults.stack.cloud.slack.failNext(1);
    const { progress } = await faults.run({ exports: [SHOPIFY] });
    const [entry] = progress.exports();
    expect(entry).toMatchObject({ step: 'delivered', rows: ROWS });
    const runId = entry!.runId!;

    expect(await historyKinds(runId)).toEqual([
      'extract.staged/',
      'extract.started/',
      'notification.failed/slack',
      'notification.sent/email',
      'upload.delivered/',
    ]);
    await drained();
    expect(faults.subjectsAbout(SHOPIFY)).toEqual([expect.stringContaining(`${SHOPIFY} succeeded`)]);
    // A webhook post that failed with 500 may have been posted: it is not tried again.
    expect(faults.stack.cloud.slack.attempts()).toBe(slackAttempts + 1);
    expect(faults.postsSaying(SHOPIFY)).toEqual([]);
  }, 240_000);

  it('SMTP rejecting for good (550): recorded as failed, the event acked, Slack still told, no loop', async () => {
    faults.stack.cloud.smtp.failNext(1, 550);
    const { progress } = await faults.run({ exports: [KLAVIYO] });
    const [entry] = progress.exports();
    expect(entry).toMatchObject({ step: 'delivered', rows: ROWS });
    const runId = entry!.runId!;

    expect(await historyKinds(runId)).toEqual([
      'extract.staged/',
      'extract.started/',
      'notification.failed/email',
      'notification.sent/slack',
      'upload.delivered/',
    ]);
    await drained();
    expect(faults.subjectsAbout(KLAVIYO)).toEqual([]);
    expect(faults.postsSaying(`${KLAVIYO} succeeded`)).toHaveLength(1);
  }, 240_000);

  it('no log holds the SFTP password or an exported value', async () => {
    expectNoLeaks(await faults.logs(), [faults.password], await seededValues(faults.stack));
  }, 60_000);
});
