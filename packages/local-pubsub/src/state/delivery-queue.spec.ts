import { describe, expect, it } from '@jest/globals';
import { ManualClock } from '../clock/manual-clock.js';
import type { StoredMessage } from '../model/stored-message.js';
import type { DeliveryPolicy } from './delivery-policy.js';
import { DeliveryQueue, type Consumer, type Delivered, type QueueEntry } from './delivery-queue.js';

const basePolicy: DeliveryPolicy = {
  ackDeadlineMs: 10_000,
  retry: undefined,
  deadLetter: undefined,
  ordered: false,
};

function message(id: number, orderingKey = ''): StoredMessage {
  return { messageId: String(id), data: Buffer.from(`m${id}`), attributes: {}, orderingKey, publishTime: 0 };
}

function setup(
  policy: Partial<DeliveryPolicy> = {},
  deadLetter: (entry: QueueEntry) => boolean = () => true,
) {
  const clock = new ManualClock(0);
  const forwarded: QueueEntry[] = [];
  const queue = new DeliveryQueue(
    't',
    clock,
    { ...basePolicy, ...policy },
    {
      deadLetter: (entry) => {
        const done = deadLetter(entry);
        if (done) forwarded.push(entry);
        return done;
      },
    },
  );
  return { clock, queue, forwarded };
}

class Recorder implements Consumer {
  readonly batches: Delivered[][] = [];
  constructor(
    readonly maxMessages = 0,
    readonly maxBytes = 0,
    private readonly deadlineMs = 10_000,
  ) {}
  ackDeadlineMs(): number {
    return this.deadlineMs;
  }
  send(messages: readonly Delivered[]): void {
    this.batches.push([...messages]);
  }
  get all(): Delivered[] {
    return this.batches.flat();
  }
}

describe('DeliveryQueue', () => {
  it('leases pulled messages with fresh ack ids and forgets acknowledged ones', () => {
    const { queue } = setup();
    queue.add([message(1), message(2)]);
    const pulled = queue.pull(10, 10_000);
    expect(pulled.map((d) => d.message.messageId)).toEqual(['1', '2']);
    expect(new Set(pulled.map((d) => d.ackId)).size).toBe(2);
    expect(queue.pull(10, 10_000)).toEqual([]);
    queue.ack([pulled[0]!.ackId, 'unknown-ack-id']);
    expect(queue.entries().map((e) => e.message.messageId)).toEqual(['2']);
  });

  it('redelivers when the ack deadline passes, not before', () => {
    const { clock, queue } = setup();
    queue.add([message(1)]);
    queue.pull(1, 5_000);
    clock.advance(4_999);
    expect(queue.pull(1, 5_000)).toEqual([]);
    clock.advance(1);
    const again = queue.pull(1, 5_000);
    expect(again.map((d) => d.message.messageId)).toEqual(['1']);
  });

  it('extends a lease with a modack and nacks with a zero modack', () => {
    const { clock, queue } = setup();
    queue.add([message(1)]);
    const [lease] = queue.pull(1, 1_000);
    queue.modifyDeadline([lease!.ackId], 60);
    clock.advance(59_000);
    expect(queue.pull(1, 1_000)).toEqual([]);
    queue.modifyDeadline([lease!.ackId], 0);
    expect(queue.pull(1, 1_000)).toHaveLength(1);
  });

  it('backs off exponentially between redeliveries under a retry policy', () => {
    const { clock, queue } = setup({ retry: { minMs: 1_000, maxMs: 3_000 } });
    queue.add([message(1)]);
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      const [lease] = queue.pull(1, 10_000);
      queue.modifyDeadline([lease!.ackId], 0);
      let waited = 0;
      while (queue.entries()[0]!.availableAt > clock.now()) {
        clock.advance(100);
        waited += 100;
      }
      waits.push(waited);
    }
    expect(waits).toEqual([1_000, 2_000, 3_000, 3_000]);
  });

  it('numbers delivery attempts and dead-letters after the maximum', () => {
    const { queue, forwarded } = setup({
      deadLetter: { topic: 'projects/p/topics/dead', maxDeliveryAttempts: 5 },
    });
    queue.add([message(1)]);
    const attempts: (number | undefined)[] = [];
    for (let i = 0; i < 5; i++) {
      const [lease] = queue.pull(1, 10_000);
      attempts.push(lease!.deliveryAttempt);
      queue.modifyDeadline([lease!.ackId], 0);
    }
    expect(attempts).toEqual([1, 2, 3, 4, 5]);
    expect(forwarded.map((e) => e.message.messageId)).toEqual(['1']);
    expect(queue.entries()).toEqual([]);
  });

  it('keeps redelivering when the dead-letter topic cannot take the message', () => {
    const { queue } = setup(
      { deadLetter: { topic: 'projects/p/topics/missing', maxDeliveryAttempts: 5 } },
      () => false,
    );
    queue.add([message(1)]);
    for (let i = 0; i < 6; i++) {
      const [lease] = queue.pull(1, 10_000);
      queue.modifyDeadline([lease!.ackId], 0);
    }
    expect(queue.pull(1, 10_000)[0]!.deliveryAttempt).toBe(7);
  });

  it('dispatches to consumers within their message and byte limits', () => {
    const { queue } = setup();
    const small = new Recorder(2);
    queue.attach(small);
    queue.add([message(1), message(2), message(3)]);
    expect(small.all.map((d) => d.message.messageId)).toEqual(['1', '2']);
    queue.ack([small.all[0]!.ackId]);
    expect(small.all.map((d) => d.message.messageId)).toEqual(['1', '2', '3']);

    const bytes = new Recorder(0, 3);
    const { queue: other } = setup();
    other.attach(bytes);
    other.add([message(1), message(2)]);
    // Each message is 2 bytes: the second would exceed 3.
    expect(bytes.all).toHaveLength(1);
  });

  it('spreads messages over several consumers and stops sending to a detached one', () => {
    const { queue } = setup();
    const a = new Recorder();
    const b = new Recorder();
    queue.attach(a);
    queue.attach(b);
    queue.add([message(1), message(2), message(3), message(4)]);
    expect(a.all).toHaveLength(2);
    expect(b.all).toHaveLength(2);
    queue.detach(b);
    queue.add([message(5)]);
    expect(a.all).toHaveLength(3);
    expect(b.all).toHaveLength(2);
  });

  it('with message ordering, holds back a key while an earlier message of it is leased', () => {
    const { queue } = setup({ ordered: true });
    queue.add([message(1, 'k'), message(2, 'k'), message(3, 'other'), message(4)]);
    const first = queue.pull(10, 10_000);
    expect(first.map((d) => d.message.messageId)).toEqual(['1', '3', '4']);
    queue.ack([first[0]!.ackId]);
    expect(queue.pull(10, 10_000).map((d) => d.message.messageId)).toEqual(['2']);
  });

  it('leaves no timer behind when closed', () => {
    const { clock, queue } = setup({ retry: { minMs: 1_000, maxMs: 1_000 } });
    queue.add([message(1)]);
    queue.pull(1, 10_000);
    expect(clock.pendingTimers()).toBe(1);
    queue.close();
    expect(clock.pendingTimers()).toBe(0);
  });
});
