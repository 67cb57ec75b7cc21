import { describe, expect, it } from '@jest/globals';

import type { DeadLetterQueue, PulledDeadLetter } from './dead-letter-queue.js';
import type { Republish } from './replay-dead-letters.js';
import { replayAttributes, replayDeadLetters, summarize } from './replay-dead-letters.js';

/** An in-memory dead-letter subscription that records every call in order. */
class FakeQueue implements DeadLetterQueue {
  readonly calls: string[] = [];
  private readonly waiting: PulledDeadLetter[];
  constructor(count: number) {
    this.waiting = Array.from({ length: count }, (_, i) => ({
      ackId: `ack-${i}`,
      messageId: `dl-${i}`,
      data: Buffer.from(`{"n":${i}}`),
      attributes: {
        eventType: 'file.ready',
        deadLetterReason: 'sftp down',
        deadLetterCode: 'SFTP_UNAVAILABLE',
        sourceSubscription: 'uploader.file-ready',
        sourceMessageId: `orig-${i}`,
        CloudPubSubDeadLetterSourceDeliveryCount: '10',
      },
    }));
  }
  pull(max: number): Promise<PulledDeadLetter[]> {
    const batch = this.waiting.splice(0, Math.min(max, 2));
    this.calls.push(`pull ${batch.length}`);
    return Promise.resolve(batch);
  }
  ack(ackIds: readonly string[]): Promise<void> {
    this.calls.push(`ack ${ackIds.join(',')}`);
    return Promise.resolve();
  }
  release(ackIds: readonly string[]): Promise<void> {
    this.calls.push(`release ${ackIds.join(',')}`);
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

const now = (): Date => new Date('2026-01-05T08:00:00.000Z');

describe('replayDeadLetters', () => {
  it('acks each message only after its republish, and keeps data and cleaned attributes', async () => {
    const queue = new FakeQueue(3);
    const published: Parameters<Republish>[] = [];
    const republish: Republish = (topic, message) => {
      queue.calls.push(`publish ${topic} ${message.attributes['replayOf']}`);
      published.push([topic, message]);
      return Promise.resolve(`new-${published.length}`);
    };
    const report = await replayDeadLetters({ queue, republish, topic: 'file-ready', dryRun: false, now });
    expect(report.replayed).toBe(3);
    expect(report.failed).toBeUndefined();
    expect(queue.calls).toEqual([
      'pull 2',
      'publish file-ready orig-0',
      'ack ack-0',
      'publish file-ready orig-1',
      'ack ack-1',
      'pull 1',
      'publish file-ready orig-2',
      'ack ack-2',
      'pull 0',
      'release ',
    ]);
    expect(published[0]![1]).toEqual({
      data: Buffer.from('{"n":0}'),
      attributes: { eventType: 'file.ready', replayedAt: '2026-01-05T08:00:00.000Z', replayOf: 'orig-0' },
    });
  });

  it('stops at a failed publish and releases what it did not ack', async () => {
    const queue = new FakeQueue(3);
    let calls = 0;
    const republish: Republish = () => {
      calls += 1;
      return calls === 2 ? Promise.reject(new Error('topic gone')) : Promise.resolve('ok');
    };
    const report = await replayDeadLetters({ queue, republish, topic: 'file-ready', dryRun: false, now });
    expect(report.replayed).toBe(1);
    expect(report.failed?.messageId).toBe('dl-1');
    expect(queue.calls).toEqual(['pull 2', 'ack ack-0', 'release ack-1']);
  });

  it('dry run lists within the limit, publishes and acks nothing', async () => {
    const queue = new FakeQueue(5);
    const republish: Republish = () => Promise.reject(new Error('must not publish'));
    const report = await replayDeadLetters({ queue, republish, topic: 't', dryRun: true, limit: 3 });
    expect(report.messages.map((message) => [message.messageId, message.code])).toEqual([
      ['dl-0', 'SFTP_UNAVAILABLE'],
      ['dl-1', 'SFTP_UNAVAILABLE'],
      ['dl-2', 'SFTP_UNAVAILABLE'],
    ]);
    expect(queue.calls).toEqual(['pull 2', 'pull 1', 'release ack-0,ack-1,ack-2']);
  });

  it('falls back to the dead letter id for replayOf when the runtime did not record the source', () => {
    const attributes = replayAttributes(
      { ackId: 'a', messageId: 'dl-9', data: Buffer.alloc(0), attributes: { correlationId: 'run-1' } },
      now(),
    );
    expect(attributes).toEqual({
      correlationId: 'run-1',
      replayedAt: '2026-01-05T08:00:00.000Z',
      replayOf: 'dl-9',
    });
  });

  it('says who dead-lettered a message: the service (code, reason), Pub/Sub (delivery count) or neither', () => {
    const letter = (attributes: Record<string, string>): PulledDeadLetter => ({
      ackId: 'a',
      messageId: 'm',
      data: Buffer.from('{}'),
      attributes,
    });
    expect(
      summarize(letter({ deadLetterCode: 'SFTP_AUTH_FAILED', deadLetterReason: 'denied' })),
    ).toMatchObject({
      cause: 'SFTP_AUTH_FAILED: denied',
      deliveryAttempts: undefined,
    });
    expect(summarize(letter({ deadLetterCode: 'X' })).cause).toBe('X: no reason');
    expect(summarize(letter({ CloudPubSubDeadLetterSourceDeliveryCount: '10' }))).toMatchObject({
      cause: 'dead-lettered by Pub/Sub after 10 delivery attempts (no error recorded by the service)',
      deliveryAttempts: 10,
    });
    for (const attributes of [{}, { CloudPubSubDeadLetterSourceDeliveryCount: 'many' }])
      expect(summarize(letter(attributes))).toMatchObject({
        cause: 'no error recorded (neither the service nor Pub/Sub marked it as dead-lettered)',
        deliveryAttempts: undefined,
      });
  });
});
