import { randomUUID } from 'node:crypto';
import path from 'node:path';

import type { PubSub } from '@google-cloud/pubsub';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import type { FileReady } from '@bq-sftp-export/contracts';
import type { GoogleClients } from '@bq-sftp-export/cloud';
import { ensureTopology } from '@bq-sftp-export/cloud';
import { decodeMessage, encodeMessage, Topics } from '@bq-sftp-export/contracts';
import type { LocalCloud } from '@bq-sftp-export/local-cloud';
import { googleClientsFromEnv, setUpLocalCloud, startLocalCloud } from '@bq-sftp-export/local-cloud';

import { openPubSubDeadLetterQueue } from '../replay/pubsub-dead-letter-queue.js';
import { pullAll } from '../testing/pull-all.js';
import { runCaptured } from '../testing/run-captured.js';

const configs = path.resolve(import.meta.dirname, '../../../../configs');

function storedFileReady(exportName: string, runId: string): FileReady {
  return {
    schemaVersion: 1,
    eventId: randomUUID(),
    runId,
    exportName,
    configName: 'default',
    sourceTable: `prod_staging.${exportName}`,
    gcs: { uri: `gs://local-staging/exports/${exportName}/f.csv`, generation: '17', crc32c: 'AAAAAA==' },
    byteSize: 120,
    sha256: 'a'.repeat(64),
    rowCount: 3,
    format: 'csv',
    compression: 'none',
    destination: 'default',
    remoteDirectory: '/To_Verite',
    fileName: `${exportName.toUpperCase()}_20260105_080000.csv`,
    window: { high: '2026-01-05T08:00:00Z' },
    mode: 'incremental',
    createdAt: '2026-01-05T08:00:01Z',
  };
}

describe('bq-sftp trigger, resend and replay against the local cloud', () => {
  let cloud: LocalCloud;
  let env: Record<string, string>;
  let clients: GoogleClients;
  let pubsub: PubSub;

  beforeAll(async () => {
    cloud = await startLocalCloud();
    env = { ...cloud.env(), CONFIG_SOURCE: configs };
    await setUpLocalCloud(cloud, { seed: false });
    clients = googleClientsFromEnv(env);
    pubsub = clients.pubsub;
    await pubsub.topic(Topics.fileReady).createSubscription('check.file-ready');
  });

  afterAll(async () => {
    await pubsub.close();
    await cloud.stop();
  });

  it('trigger publishes a valid export.requested with the chosen exports and window', async () => {
    const result = await runCaptured(
      [
        'trigger',
        '--config',
        'default',
        '--export',
        'shopify_customers',
        '--from',
        '2026-01-01T00:00:00Z',
        '--to',
        '2026-01-02T00:00:00Z',
        '--request-id',
        'req-42',
        '--json',
      ],
      env,
    );
    expect(result).toMatchObject({ code: 0, err: '' });
    const printed = JSON.parse(result.out) as { messageId: string; topic: string };
    const [message, ...more] = await pullAll(pubsub, 'extractor.export-requests');
    expect(more).toEqual([]);
    expect(message?.messageId).toBe(printed.messageId);
    expect(printed.topic).toBe(Topics.exportRequests);
    expect(decodeMessage('export.requested', message!.data, message!.attributes)).toEqual({
      schemaVersion: 1,
      config: 'default',
      exports: ['shopify_customers'],
      backfill: { from: '2026-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z' },
      requestId: 'req-42',
    });
    expect(message!.attributes).toEqual({
      eventType: 'export.requested',
      schemaVersion: '1',
      correlationId: 'req-42',
    });
  });

  it('trigger --full for all exports; refuses unknown exports and half a window with exit 2', async () => {
    const full = await runCaptured(['trigger', '--full'], env);
    expect(full.code).toBe(0);
    expect(full.out).toMatch(/^published export.requested to export-requests: message \S+/);
    const [message] = await pullAll(pubsub, 'extractor.export-requests');
    expect(decodeMessage('export.requested', message!.data)).toMatchObject({
      config: 'default',
      mode: 'full',
    });

    const unknown = await runCaptured(['trigger', '--export', 'nope'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('has no export nope');
    expect((await runCaptured(['trigger', '--from', '2026-01-01T00:00:00Z'], env)).code).toBe(2);
    expect(await pullAll(pubsub, 'extractor.export-requests')).toEqual([]);
  });

  it('resend republishes the stored file.ready events with a new eventId, resendOf and resendId', async () => {
    const originals = [
      storedFileReady('shopify_customers', 'run-7'),
      storedFileReady('klaviyo_customers', 'run-7'),
    ];
    const bucket = clients.storage.bucket('local-staging');
    for (const original of originals)
      await bucket
        .file(`exports/runs/run-7/${original.exportName}.file-ready.json`)
        .save(encodeMessage('file.ready', original).data);

    const result = await runCaptured(['resend', '--run', 'run-7', '--json'], env);
    expect(result.code).toBe(0);
    const printed = JSON.parse(result.out) as { resendId: string; published: { eventId: string }[] };
    expect(printed.published).toHaveLength(2);
    const received = (await pullAll(pubsub, 'check.file-ready')).map((message) =>
      decodeMessage('file.ready', message.data, message.attributes),
    );
    expect(received).toHaveLength(2);
    for (const original of originals) {
      const resend = received.find((message) => message.exportName === original.exportName)!;
      expect(resend).toEqual({
        ...original,
        eventId: expect.any(String),
        resendOf: original.eventId,
        resendId: printed.resendId,
      });
      expect(resend.eventId).not.toBe(original.eventId);
    }

    const one = await runCaptured(['resend', '--run', 'run-7', '--export', 'klaviyo_customers'], env);
    expect(one.code).toBe(0);
    expect(
      (await pullAll(pubsub, 'check.file-ready')).map((m) => decodeMessage('file.ready', m.data).exportName),
    ).toEqual(['klaviyo_customers']);

    const missing = await runCaptured(['resend', '--run', 'run-404'], env);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('[RUN_NOT_FOUND]');
  });

  it('replay lists with --dry-run, moves dead letters back with clean attributes, and keeps what it could not republish', async () => {
    const deadLetterTopic = pubsub.topic('file-ready.dead-letter');
    const payloads = [0, 1, 2].map((n) => Buffer.from(JSON.stringify({ n })));
    for (const [n, data] of payloads.entries())
      await deadLetterTopic.publishMessage({
        data,
        attributes: {
          eventType: 'file.ready',
          schemaVersion: '1',
          correlationId: `run-${n}`,
          deadLetterReason: 'SFTP server unreachable',
          deadLetterCode: 'SFTP_UNAVAILABLE',
          sourceSubscription: 'uploader.file-ready',
          sourceMessageId: `orig-${n}`,
          CloudPubSubDeadLetterSourceDeliveryCount: '10',
        },
      });

    const dry = await runCaptured(
      ['replay', '--subscription', 'ops.file-ready.dead-letter', '--dry-run', '--json'],
      env,
    );
    expect(dry.code).toBe(0);
    const listed = JSON.parse(dry.out) as { replayed: number; messages: { code: string; reason: string }[] };
    expect(listed.replayed).toBe(0);
    expect(listed.messages).toHaveLength(3);
    expect(listed.messages[0]).toMatchObject({ code: 'SFTP_UNAVAILABLE', reason: 'SFTP server unreachable' });
    expect(await pullAll(pubsub, 'check.file-ready')).toEqual([]);

    const two = await runCaptured(
      ['replay', '--subscription', 'ops.file-ready.dead-letter', '--limit', '2'],
      env,
    );
    expect(two.code).toBe(0);
    expect(two.out).toContain('replayed 2 message(s) from ops.file-ready.dead-letter to file-ready');
    expect(two.err).toContain('[2/2] replayed to file-ready');
    const moved = await pullAll(pubsub, 'check.file-ready');
    expect(moved).toHaveLength(2);
    for (const message of moved) {
      const n = (JSON.parse(message.data.toString()) as { n: number }).n;
      expect(message.data).toEqual(payloads[n]);
      expect(message.attributes).toEqual({
        eventType: 'file.ready',
        schemaVersion: '1',
        correlationId: `run-${n}`,
        replayOf: `orig-${n}`,
        replayedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      });
    }

    // The original topic is gone: the republish fails, the dead letter stays.
    await pubsub.topic(Topics.fileReady).delete();
    const failed = await runCaptured(['replay', '--subscription', 'ops.file-ready.dead-letter'], env);
    expect(failed.code).toBe(1);
    expect(failed.err).toContain('[PUBLISH_REJECTED]');
    expect(failed.err).toMatch(/stopped at \S+: it and the rest stay on ops.file-ready.dead-letter/);

    await ensureTopology(pubsub);
    await pubsub.topic(Topics.fileReady).createSubscription('check2.file-ready');
    const rest = await runCaptured(['replay', '--subscription', 'ops.file-ready.dead-letter', '--json'], env);
    expect(rest.code).toBe(0);
    expect((JSON.parse(rest.out) as { replayed: number }).replayed).toBe(1);
    const last = await pullAll(pubsub, 'check2.file-ready');
    expect(last).toHaveLength(1);
    expect(payloads.some((payload) => payload.equals(last[0]!.data))).toBe(true);
    expect(await pullAll(pubsub, 'ops.file-ready.dead-letter')).toEqual([]);
  });

  it('replay --dry-run says when Pub/Sub dead-lettered a message itself, after its max delivery attempts', async () => {
    const deadLetterTopic = pubsub.topic('file-ready.dead-letter').name;
    await pubsub.topic(Topics.fileReady).createSubscription('poison.file-ready', {
      deadLetterPolicy: { deadLetterTopic, maxDeliveryAttempts: 5 },
    });
    await pubsub.topic(Topics.fileReady).publishMessage({
      data: Buffer.from('{}'),
      attributes: { eventType: 'file.ready', correlationId: 'run-poison' },
    });
    // A consumer that fails without dead-lettering it (a crash, a nack): Pub/Sub gives up after 5.
    const poison = await openPubSubDeadLetterQueue(pubsub, 'poison.file-ready');
    try {
      for (let attempt = 1; attempt <= 5; attempt += 1) {
        const [message] = await poison.pull(1);
        expect(message).toBeDefined();
        await poison.release([message!.ackId]);
      }
    } finally {
      await poison.close();
    }

    const text = await runCaptured(
      ['replay', '--subscription', 'ops.file-ready.dead-letter', '--dry-run'],
      env,
    );
    expect(text.code).toBe(0);
    expect(text.err).toContain(
      'file.ready run-poison (dead-lettered by Pub/Sub after 5 delivery attempts (no error recorded by the service))',
    );
    expect(text.err).not.toContain('no code');
    const json = await runCaptured(
      ['replay', '--subscription', 'ops.file-ready.dead-letter', '--dry-run', '--json'],
      env,
    );
    expect((JSON.parse(json.out) as { messages: unknown[] }).messages).toEqual([
      expect.objectContaining({
        correlationId: 'run-poison',
        deliveryAttempts: 5,
        cause: 'dead-lettered by Pub/Sub after 5 delivery attempts (no error recorded by the service)',
      }),
    ]);
    expect(await pullAll(pubsub, 'ops.file-ready.dead-letter')).toHaveLength(1);
  });

  it('replay refuses a subscription that is not a dead-letter one', async () => {
    const result = await runCaptured(['replay', '--subscription', 'uploader.file-ready'], env);
    expect(result.code).toBe(2);
    expect(result.err).toContain('expected one of ops.export-requests.dead-letter');
  });
});
