import type { Clock, TimerHandle } from '../clock/clock.js';
import { messageSize, type StoredMessage } from '../model/stored-message.js';
import { backoffMs, type BackoffRange, type DeliveryPolicy } from './delivery-policy.js';

/** One message waiting in (or leased from) a subscription. */
export interface QueueEntry {
  readonly message: StoredMessage;
  readonly size: number;
  /** Deliveries so far (the current one included while leased). */
  attempts: number;
  /** Consecutive failed deliveries (nack or expired deadline), drives the backoff. */
  failures: number;
  /** Not delivered before this time (retry backoff). */
  availableAt: number;
  lease: Lease | undefined;
}

export interface Lease {
  readonly ackId: string;
  readonly entry: QueueEntry;
  deadline: number;
  readonly consumer: Consumer | undefined;
}

/** A leased message as handed to a consumer. */
export interface Delivered {
  readonly ackId: string;
  readonly message: StoredMessage;
  /** Set only when the subscription has a dead-letter policy, as the real service does. */
  readonly deliveryAttempt: number | undefined;
}

/** A receiver that messages are pushed to: a StreamingPull stream or the push loop. */
export interface Consumer {
  /** 0 = unlimited. */
  readonly maxMessages: number;
  readonly maxBytes: number;
  /** Backoff after a failed delivery when the subscription has no retry policy (push backs off anyway). */
  readonly fallbackBackoff?: BackoffRange;
  ackDeadlineMs(): number;
  send(messages: readonly Delivered[]): void;
}

export interface DeliveryQueueHooks {
  /** Called when an entry exhausted its delivery attempts; true when it was forwarded (and is dropped here). */
  deadLetter(entry: QueueEntry): boolean;
}

/**
 * Delivery and lease bookkeeping for one subscription: pending messages, leases with deadlines,
 * redelivery on nack or expiry with retry backoff, dead-lettering after the maximum attempts, and
 * flow-controlled dispatch to attached consumers.
 */
export class DeliveryQueue {
  private readonly pending: QueueEntry[] = [];
  private readonly leases = new Map<string, Lease>();
  private readonly consumers = new Map<Consumer, { messages: number; bytes: number }>();
  private timer: TimerHandle | undefined;
  private timerAt = Infinity;
  private ackSeq = 0;
  private rotation = 0;

  constructor(
    private readonly ackIdPrefix: string,
    private readonly clock: Clock,
    private policy: DeliveryPolicy,
    private readonly hooks: DeliveryQueueHooks,
  ) {}

  setPolicy(policy: DeliveryPolicy): void {
    this.policy = policy;
  }

  add(messages: readonly StoredMessage[]): void {
    const now = this.clock.now();
    for (const message of messages) {
      this.pending.push({
        message,
        size: messageSize(message),
        attempts: 0,
        failures: 0,
        availableAt: now,
        lease: undefined,
      });
    }
    this.dispatch();
  }

  attach(consumer: Consumer): void {
    this.consumers.set(consumer, { messages: 0, bytes: 0 });
    this.dispatch();
  }

  /** Stops sending to the consumer; its leases run on until acked or expired. */
  detach(consumer: Consumer): void {
    this.consumers.delete(consumer);
  }

  /** Unary Pull: leases up to `max` ready messages for `deadlineMs`. */
  pull(max: number, deadlineMs: number): Delivered[] {
    const taken = this.orderedReady().slice(0, max);
    for (const entry of taken) this.removePending(entry);
    return taken.map((entry) => this.lease(entry, deadlineMs, undefined));
  }

  ack(ackIds: readonly string[]): void {
    for (const ackId of ackIds) {
      const lease = this.leases.get(ackId);
      if (lease !== undefined) this.release(lease);
    }
    this.dispatch();
  }

  /** ModifyAckDeadline: extends the leases, or with 0 seconds nacks them. */
  modifyDeadline(ackIds: readonly string[], seconds: number): void {
    const now = this.clock.now();
    for (const ackId of ackIds) {
      const lease = this.leases.get(ackId);
      if (lease === undefined) continue;
      if (seconds <= 0) {
        this.fail(lease, now);
      } else {
        lease.deadline = now + seconds * 1000;
        this.wakeAt(lease.deadline);
      }
    }
    this.dispatch();
  }

  /** Every message not yet acknowledged, in queue order (leased ones included). */
  entries(): QueueEntry[] {
    return [...[...this.leases.values()].map((lease) => lease.entry), ...this.pending].sort((a, b) =>
      a.message.messageId.localeCompare(b.message.messageId, 'en', { numeric: true }),
    );
  }

  /** Drops every message and lease (consumers stay attached). */
  clear(): void {
    this.pending.length = 0;
    for (const lease of [...this.leases.values()]) this.release(lease);
  }

  close(): void {
    this.clear();
    this.consumers.clear();
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
  }

  private dispatch(): void {
    const ready = this.consumers.size === 0 ? [] : this.orderedReady();
    if (ready.length === 0) return;
    const consumers = [...this.consumers.keys()];
    const start = this.rotation++ % consumers.length;
    const batches = new Map<Consumer, Delivered[]>();
    let progressed = true;
    while (ready.length > 0 && progressed) {
      progressed = false;
      for (let i = 0; i < consumers.length && ready.length > 0; i++) {
        const consumer = consumers[(start + i) % consumers.length]!;
        const entry = ready[0]!;
        if (!this.hasRoom(consumer, entry)) continue;
        ready.shift();
        this.removePending(entry);
        const batch = batches.get(consumer) ?? [];
        batch.push(this.lease(entry, consumer.ackDeadlineMs(), consumer));
        batches.set(consumer, batch);
        progressed = true;
      }
    }
    for (const [consumer, batch] of batches) consumer.send(batch);
  }

  private hasRoom(consumer: Consumer, entry: QueueEntry): boolean {
    const used = this.consumers.get(consumer);
    if (used === undefined) return false;
    if (consumer.maxMessages > 0 && used.messages >= consumer.maxMessages) return false;
    // A single message larger than the byte limit still goes out when nothing else is outstanding.
    return consumer.maxBytes <= 0 || used.messages === 0 || used.bytes + entry.size <= consumer.maxBytes;
  }

  /** Pending entries deliverable now; with message ordering only the head of each key, and none while the key is leased. */
  private orderedReady(): QueueEntry[] {
    const now = this.clock.now();
    const blockedKeys = new Set<string>();
    if (this.policy.ordered) {
      for (const lease of this.leases.values()) blockedKeys.add(lease.entry.message.orderingKey);
    }
    const ready: QueueEntry[] = [];
    for (const entry of this.pending) {
      const key = entry.message.orderingKey;
      const ordered = this.policy.ordered && key !== '';
      if (ordered && blockedKeys.has(key)) continue;
      if (ordered) blockedKeys.add(key);
      if (entry.availableAt <= now) ready.push(entry);
    }
    return ready;
  }

  private lease(entry: QueueEntry, deadlineMs: number, consumer: Consumer | undefined): Delivered {
    const ackId = `${this.ackIdPrefix}-${++this.ackSeq}`;
    const lease: Lease = { ackId, entry, deadline: this.clock.now() + deadlineMs, consumer };
    entry.attempts += 1;
    entry.lease = lease;
    this.leases.set(ackId, lease);
    const used = consumer === undefined ? undefined : this.consumers.get(consumer);
    if (used !== undefined) {
      used.messages += 1;
      used.bytes += entry.size;
    }
    this.wakeAt(lease.deadline);
    return {
      ackId,
      message: entry.message,
      deliveryAttempt: this.policy.deadLetter === undefined ? undefined : entry.attempts,
    };
  }

  private release(lease: Lease): void {
    this.leases.delete(lease.ackId);
    lease.entry.lease = undefined;
    const used = lease.consumer === undefined ? undefined : this.consumers.get(lease.consumer);
    if (used !== undefined) {
      used.messages -= 1;
      used.bytes -= lease.entry.size;
    }
  }

  /** A failed delivery: dead-letter after the maximum attempts, otherwise back to the queue after the backoff. */
  private fail(lease: Lease, now: number): void {
    this.release(lease);
    const entry = lease.entry;
    entry.failures += 1;
    const deadLetter = this.policy.deadLetter;
    if (
      deadLetter !== undefined &&
      entry.attempts >= deadLetter.maxDeliveryAttempts &&
      this.hooks.deadLetter(entry)
    ) {
      return;
    }
    const range = this.policy.retry ?? lease.consumer?.fallbackBackoff;
    entry.availableAt = range === undefined ? now : now + backoffMs(range, entry.failures);
    this.insertPending(entry);
    if (entry.availableAt > now) this.wakeAt(entry.availableAt);
  }

  /** Redelivered messages go back in publish order. */
  private insertPending(entry: QueueEntry): void {
    const id = Number(entry.message.messageId);
    const index = this.pending.findIndex((other) => Number(other.message.messageId) > id);
    if (index === -1) this.pending.push(entry);
    else this.pending.splice(index, 0, entry);
  }

  private removePending(entry: QueueEntry): void {
    const index = this.pending.indexOf(entry);
    if (index !== -1) this.pending.splice(index, 1);
  }

  private wakeAt(at: number): void {
    if (at >= this.timerAt) return;
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timerAt = at;
    this.timer = this.clock.setTimer(() => this.onTimer(), at - this.clock.now());
  }

  private onTimer(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    const now = this.clock.now();
    for (const lease of [...this.leases.values()]) {
      if (lease.deadline <= now) this.fail(lease, now);
    }
    let next = Infinity;
    for (const lease of this.leases.values()) next = Math.min(next, lease.deadline);
    for (const entry of this.pending) if (entry.availableAt > now) next = Math.min(next, entry.availableAt);
    if (next !== Infinity) this.wakeAt(next);
    this.dispatch();
  }
}
