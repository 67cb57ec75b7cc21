import type { ServerDuplexStream } from '@grpc/grpc-js';
import { invalidArgument, notFound, type PubSubError } from '../model/pubsub-error.js';
import { parseResourceName } from '../model/resource-names.js';
import type { Consumer, Delivered } from '../state/delivery-queue.js';
import type { PubSubState } from '../state/pubsub-state.js';
import { checkDeadline } from '../state/subscription-config.js';
import type { SubscriptionRecord } from '../state/subscription-record.js';
import { toServiceError } from './handlers.js';
import { toReceivedMessage } from './message-proto.js';

interface StreamingPullRequest {
  subscription?: string;
  ackIds?: string[];
  modifyDeadlineSeconds?: number[];
  modifyDeadlineAckIds?: string[];
  streamAckDeadlineSeconds?: number;
  clientId?: string;
  maxOutstandingMessages?: number;
  maxOutstandingBytes?: number;
  protocolVersion?: number;
}

type Call = ServerDuplexStream<StreamingPullRequest, unknown>;

/** One open StreamingPull stream: a flow-controlled consumer of its subscription's queue. */
class StreamSession implements Consumer {
  readonly maxMessages: number;
  readonly maxBytes: number;
  private deadlineSeconds: number;
  private readonly unregister: () => void;
  private closed = false;

  constructor(
    private readonly call: Call,
    private readonly record: SubscriptionRecord,
    private readonly state: PubSubState,
    first: StreamingPullRequest,
  ) {
    this.deadlineSeconds = first.streamAckDeadlineSeconds ?? 0;
    checkDeadline('stream_ack_deadline_seconds', this.deadlineSeconds, state.limits);
    this.maxMessages = Math.max(0, first.maxOutstandingMessages ?? 0);
    this.maxBytes = Math.max(0, first.maxOutstandingBytes ?? 0);
    this.unregister = record.onClose(() =>
      this.fail(notFound(parseResourceName('subscriptions', record.name).id)),
    );
    this.handle(first);
    record.queue.attach(this);
  }

  ackDeadlineMs(): number {
    return this.deadlineSeconds * 1000;
  }

  send(messages: readonly Delivered[]): void {
    if (this.closed) return;
    this.call.write({
      receivedMessages: messages.map(toReceivedMessage),
      subscriptionProperties: {
        exactlyOnceDeliveryEnabled: this.record.config.enableExactlyOnceDelivery === true,
        messageOrderingEnabled: this.record.config.enableMessageOrdering === true,
      },
    });
  }

  /** Acks, deadline changes and keep-alives sent on the stream after the first request. */
  handle(request: StreamingPullRequest): void {
    const queue = this.record.queue;
    const ackIds = request.ackIds ?? [];
    const modifyIds = request.modifyDeadlineAckIds ?? [];
    const modifySeconds = request.modifyDeadlineSeconds ?? [];
    if (modifyIds.length !== modifySeconds.length) {
      throw invalidArgument('modify_deadline_seconds and modify_deadline_ack_ids must have the same length.');
    }
    if (ackIds.length > 0) queue.ack(ackIds);
    modifyIds.forEach((ackId, index) => queue.modifyDeadline([ackId], modifySeconds[index] ?? 0));
    if (request.streamAckDeadlineSeconds) {
      checkDeadline('stream_ack_deadline_seconds', request.streamAckDeadlineSeconds, this.state.limits);
      this.deadlineSeconds = request.streamAckDeadlineSeconds;
    }
    const keepAlive =
      ackIds.length === 0 &&
      modifyIds.length === 0 &&
      !request.streamAckDeadlineSeconds &&
      !request.subscription;
    if (keepAlive && !this.closed) this.call.write({});
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.unregister();
    this.record.queue.detach(this);
  }

  fail(error: PubSubError): void {
    if (this.closed) return;
    this.close();
    this.call.emit('error', toServiceError(error));
  }
}

/** The StreamingPull handler: the first request opens the session, later ones carry acks and modacks. */
export function streamingPull(state: PubSubState): (call: Call) => void {
  return (call) => {
    let session: StreamSession | undefined;
    call.on('data', (request: StreamingPullRequest) => {
      try {
        if (session === undefined) {
          if (!request.subscription)
            throw invalidArgument('The first StreamingPullRequest must name a subscription.');
          session = new StreamSession(call, state.subscription(request.subscription), state, request);
        } else {
          session.handle(request);
        }
      } catch (error) {
        session?.close();
        call.emit('error', toServiceError(error));
      }
    });
    call.on('end', () => {
      session?.close();
      call.end();
    });
    call.on('cancelled', () => session?.close());
    call.on('error', () => session?.close());
  };
}
