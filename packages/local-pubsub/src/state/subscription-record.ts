import type { Clock } from '../clock/clock.js';
import type { SubscriptionProto } from '../model/proto-types.js';
import type { StoredMessage } from '../model/stored-message.js';
import type { IdTokenIssuer } from '../push/id-token-issuer.js';
import { PushDeliverer } from '../push/push-deliverer.js';
import { DeliveryQueue, type QueueEntry } from './delivery-queue.js';
import { deliveryPolicyOf } from './subscription-config.js';

/** Forwards an exhausted message to the dead-letter topic; false when that topic does not exist. */
export type DeadLetterForwarder = (
  topic: string,
  message: StoredMessage,
  attempts: number,
  from: SubscriptionRecord,
) => boolean;

/** A subscription: its configuration, its delivery queue, its push loop and what it dead-lettered. */
export class SubscriptionRecord {
  readonly queue: DeliveryQueue;
  readonly deadLettered: StoredMessage[] = [];
  private push: PushDeliverer | undefined;
  private closers = new Set<() => void>();

  constructor(
    private configValue: SubscriptionProto,
    clock: Clock,
    ackIdPrefix: string,
    forward: DeadLetterForwarder,
    private readonly pushTokens?: IdTokenIssuer,
  ) {
    this.queue = new DeliveryQueue(ackIdPrefix, clock, deliveryPolicyOf(configValue), {
      deadLetter: (entry: QueueEntry) => {
        const target = deliveryPolicyOf(this.configValue).deadLetter;
        if (target === undefined || !forward(target.topic, entry.message, entry.attempts, this)) return false;
        this.deadLettered.push(entry.message);
        return true;
      },
    });
    this.applyPush();
  }

  get name(): string {
    return this.configValue.name ?? '';
  }

  get config(): SubscriptionProto {
    return this.configValue;
  }

  set config(next: SubscriptionProto) {
    const previousPush = JSON.stringify(this.configValue.pushConfig ?? {});
    this.configValue = next;
    this.queue.setPolicy(deliveryPolicyOf(next));
    if (JSON.stringify(next.pushConfig ?? {}) !== previousPush) this.applyPush();
  }

  /** Registers a callback run when the subscription goes away (ends its StreamingPull streams). */
  onClose(closer: () => void): () => void {
    this.closers.add(closer);
    return () => this.closers.delete(closer);
  }

  /** Stops delivery; with `notifyStreams` open StreamingPull streams end with NOT_FOUND (subscription deleted). */
  close(notifyStreams = true): void {
    this.push?.stop();
    this.push = undefined;
    if (notifyStreams) for (const closer of [...this.closers]) closer();
    this.closers.clear();
    this.queue.close();
  }

  private applyPush(): void {
    this.push?.stop();
    this.push = undefined;
    const endpoint = this.configValue.pushConfig?.pushEndpoint;
    if (!endpoint) return;
    this.push = new PushDeliverer(
      this.name,
      endpoint,
      this.queue,
      () => (this.configValue.ackDeadlineSeconds ?? 10) * 1000,
      this.authorizationOf(endpoint),
    );
    this.queue.attach(this.push);
  }

  /** As the real service: a fresh token of `oidcToken.serviceAccountEmail` per request, audience default the endpoint. */
  private authorizationOf(endpoint: string): (() => string) | undefined {
    const oidc = this.configValue.pushConfig?.oidcToken;
    const issuer = this.pushTokens;
    if (!oidc?.serviceAccountEmail || issuer === undefined) return undefined;
    const email = oidc.serviceAccountEmail;
    const audience = oidc.audience || endpoint;
    return () => `Bearer ${issuer.pushToken(email, audience)}`;
  }
}
