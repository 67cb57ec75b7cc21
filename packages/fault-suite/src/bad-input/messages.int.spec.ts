import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { chmod, mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';

import { decodeMessage, Topics, topologyOf } from '@bq-sftp-export/contracts';
import type { ExportEvent, FileReady } from '@bq-sftp-export/contracts';
import { DEMO_CONFIG_NAME, requestAndFollow } from '@bq-sftp-export/demo';
import type { ServiceProcess } from '@bq-sftp-export/demo';
import { pollUntil } from '@bq-sftp-export/testing';

import { handlerCases } from './handler-cases.js';
import { describeLeaks } from './leak-scan.js';
import { messageCases, PAYLOAD_SENTINEL } from './message-cases.js';
import type { MessageCase, MessageTemplates } from './message-cases.js';
import { startBadInputStack } from './testing/bad-input-stack.js';
import type { BadInputStack } from './testing/bad-input-stack.js';
import { CASE_ATTRIBUTE, publishRaw, WAIT, waitForDeadLetter } from './testing/dead-letters.js';
import { seededValueNeedles } from './testing/seeded-values.js';
import { logRecords, stoppedServices } from './testing/service-checks.js';

const ROWS = 20;
const EXPORTS = ['shopify_customers', 'klaviyo_customers'];
const consumerOf = {
  'export-requests': 'extractor',
  'file-ready': 'uploader',
  'export-events': 'tracker-notifier',
};

/**
 * Bad messages on every topic, against the three built services on the local cloud delivering to
 * OpenSSH. A good run first gives real messages to tamper with; each bad message must end as a
 * dead letter with a code and a reason naming the problem, logged, with every service still up;
 * a good run afterwards is still delivered, and nothing leaks.
 */
describe('bad input: messages on every topic', () => {
  let bad: BadInputStack;
  let templates: MessageTemplates;
  let elsewhere: string;
  let firstPids: (number | undefined)[];
  const cases: MessageCase[] = [];

  beforeAll(async () => {
    bad = await startBadInputStack('bad-messages', ROWS);
    firstPids = bad.services().map((service) => service.pid);
    const { settled, progress } = await requestAndFollow(
      bad.stack.clients.pubsub,
      bad.tap,
      { config: DEMO_CONFIG_NAME },
      { exportNames: EXPORTS, timeoutMs: 120_000, services: bad.services },
    );
    expect(settled).toBe(true);
    expect(progress.failures()).toEqual([]);
    const [published] = bad.stack.cloud.pubsub.published(Topics.fileReady);
    const fileReady: FileReady = decodeMessage('file.ready', published!.data, published!.attributes);
    const event = bad.tap
      .events()
      .find((candidate): candidate is ExportEvent => candidate.type === 'upload.delivered')!;
    templates = { fileReady, event };
    elsewhere = path.join(bad.sftp.root, 'elsewhere');
    await mkdir(elsewhere, { recursive: true });
    await chmod(elsewhere, 0o777);
  }, 240_000);

  afterAll(async () => {
    await bad?.stop();
  });

  // The cases need the templates of the good run: they are built lazily, one test each.
  const caseNames = [
    ...messageCases({ fileReady: {} as FileReady, event: { type: 'upload.delivered' } as ExportEvent }),
    ...handlerCases({ fileReady: { gcs: {} } as FileReady, event: {} as ExportEvent }, ''),
  ].map((entry, index) => ({ index, topic: entry.topic, name: entry.name }));

  const caseAt = (index: number): MessageCase => {
    if (cases.length === 0) cases.push(...messageCases(templates), ...handlerCases(templates, elsewhere));
    return cases[index]!;
  };

  const servicesOf = (): readonly ServiceProcess[] => bad.services();

  it.each(caseNames)(
    '$topic: $name → dead-lettered with a reason naming it; services stay up',
    async ({ index }) => {
      const entry = caseAt(index);
      const caseId = randomUUID();
      const messageId = await publishRaw(bad.stack.clients.pubsub, entry.topic, entry.data, {
        ...entry.attributes,
        [CASE_ATTRIBUTE]: caseId,
      });
      const letter = await waitForDeadLetter(
        bad.stack.cloud,
        entry.topic,
        (candidate) => candidate.attributes[CASE_ATTRIBUTE] === caseId,
      );
      expect({ code: letter.code, reason: letter.reason }).toMatchObject({
        code: entry.code,
        reason: expect.stringContaining(entry.reason),
      });
      // The original bytes are kept for a replay; the reason never quotes the payload.
      expect(letter.data.equals(entry.data)).toBe(true);
      expect(letter.reason).not.toContain(PAYLOAD_SENTINEL);
      // The consumer logged it, with the same code.
      const consumer = servicesOf().find((service) => service.name === consumerOf[entry.topic])!;
      const logged = await pollUntil(
        async () =>
          (await logRecords(consumer.logFile)).find(
            (record) => record['message'] === 'message dead-lettered' && record['messageId'] === messageId,
          ),
        { describe: 'the dead-letter log line', ...WAIT },
      );
      expect(logged).toMatchObject({ code: letter.code, reason: letter.reason });
      expect(stoppedServices(servicesOf())).toEqual([]);
      // Nothing left behind on the consumer's subscription (acked after dead-lettering, not looping).
      await pollUntil(
        () =>
          bad.stack.cloud.pubsub.outstanding(topologyOf(entry.topic).subscription).length === 0
            ? true
            : undefined,
        { describe: 'the consumer subscription drained', ...WAIT },
      );
    },
  );

  it('after every bad message, a good request is still delivered by the same service processes', async () => {
    const { settled, progress } = await requestAndFollow(
      bad.stack.clients.pubsub,
      bad.tap,
      { config: DEMO_CONFIG_NAME, mode: 'full' },
      { exportNames: EXPORTS, timeoutMs: 120_000, services: bad.services },
    );
    expect(settled).toBe(true);
    expect(progress.exports().map((entry) => [entry.exportName, entry.step, entry.rows])).toEqual(
      EXPORTS.map((name) => [name, 'delivered', ROWS]),
    );
    expect(bad.services().map((service) => service.pid)).toEqual(firstPids);
    expect(stoppedServices(bad.services())).toEqual([]);
    // Nothing was delivered where a tampered message pointed.
    expect(await readdir(elsewhere)).toEqual([]);
  }, 180_000);

  it('no log, mail or Slack post holds a secret, a seeded row value or the bad payloads’ row text', async () => {
    // The success mails of both runs (4) and the failure mails of the bad runs have been sent.
    await pollUntil(() => (bad.stack.cloud.smtp.messages().length >= 4 ? true : undefined), {
      describe: 'the notifications',
      ...WAIT,
    });
    const leaks = await bad.scan([
      ...seededValueNeedles(ROWS),
      { label: 'bad payload row text', value: PAYLOAD_SENTINEL },
    ]);
    expect(describeLeaks(leaks)).toBe('');
  });
});
