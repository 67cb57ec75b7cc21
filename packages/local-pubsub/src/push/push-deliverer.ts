import type { BackoffRange } from '../state/delivery-policy.js';
import type { Consumer, Delivered, DeliveryQueue } from '../state/delivery-queue.js';
import { postJson } from './post-json.js';
import { pushEnvelope } from './push-envelope.js';

/** Backoff for push retries when the subscription has no retry policy (the real service backs off too). */
const DEFAULT_PUSH_BACKOFF: BackoffRange = { minMs: 100, maxMs: 60_000 };
const MAX_IN_FLIGHT = 10;

/** Delivers a push subscription's messages: 2xx acknowledges, anything else or a timeout nacks (with backoff). */
export class PushDeliverer implements Consumer {
  readonly maxMessages = MAX_IN_FLIGHT;
  readonly maxBytes = 0;
  readonly fallbackBackoff = DEFAULT_PUSH_BACKOFF;
  private readonly abort = new AbortController();

  constructor(
    private readonly subscription: string,
    private readonly endpoint: string,
    private readonly queue: DeliveryQueue,
    private readonly ackDeadlineMsOf: () => number,
    /** The `Authorization` value of each request (an OIDC token), when the subscription asks for one. */
    private readonly authorization?: () => string,
  ) {}

  ackDeadlineMs(): number {
    return this.ackDeadlineMsOf();
  }

  send(messages: readonly Delivered[]): void {
    for (const delivered of messages) void this.post(delivered);
  }

  stop(): void {
    this.queue.detach(this);
    this.abort.abort();
  }

  private async post(delivered: Delivered): Promise<void> {
    let ok: boolean;
    try {
      const status = await postJson(
        this.endpoint,
        pushEnvelope(this.subscription, delivered),
        this.ackDeadlineMs(),
        this.abort.signal,
        this.authorization === undefined ? {} : { authorization: this.authorization() },
      );
      ok = status >= 200 && status < 300;
    } catch {
      ok = false;
    }
    if (this.abort.signal.aborted) return;
    if (ok) this.queue.ack([delivered.ackId]);
    else this.queue.modifyDeadline([delivered.ackId], 0);
  }
}
