import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import type { FieldMaskProto, PushConfigProto, SubscriptionProto } from '../model/proto-types.js';
import { invalidArgument } from '../model/pubsub-error.js';
import { parseProjectName } from '../model/resource-names.js';
import { page } from '../state/page.js';
import type { PubSubState } from '../state/pubsub-state.js';
import { notEmulated, unary } from './handlers.js';
import { toReceivedMessage } from './message-proto.js';
import { streamingPull } from './streaming-pull.js';

const MAX_DEADLINE_SECONDS = 600;

interface AckRequest {
  subscription?: string;
  ackIds?: string[];
  ackDeadlineSeconds?: number;
}

/** google.pubsub.v1.Subscriber over the in-memory state. */
export function subscriberService(state: PubSubState): UntypedServiceImplementation {
  return {
    CreateSubscription: unary((request: SubscriptionProto) => state.createSubscription(request)),
    GetSubscription: unary(
      (request: { subscription?: string }) => state.subscription(request.subscription).config,
    ),
    UpdateSubscription: unary((request: { subscription?: SubscriptionProto; updateMask?: FieldMaskProto }) =>
      state.updateSubscription(request.subscription ?? {}, request.updateMask),
    ),
    ListSubscriptions: unary((request: { project?: string; pageSize?: number; pageToken?: string }) => {
      const result = page(
        state.listSubscriptions(parseProjectName(request.project)),
        request.pageSize,
        request.pageToken,
      );
      return { subscriptions: result.items, nextPageToken: result.nextPageToken };
    }),
    DeleteSubscription: unary((request: { subscription?: string }) => {
      state.deleteSubscription(request.subscription);
      return {};
    }),
    ModifyAckDeadline: unary((request: AckRequest) => {
      const seconds = request.ackDeadlineSeconds ?? 0;
      if (seconds < 0 || seconds > MAX_DEADLINE_SECONDS) {
        throw invalidArgument(
          `Invalid ack deadline given: ${seconds}; it must be between 0 and ${MAX_DEADLINE_SECONDS} seconds.`,
        );
      }
      state.subscription(request.subscription).queue.modifyDeadline(request.ackIds ?? [], seconds);
      return {};
    }),
    Acknowledge: unary((request: AckRequest) => {
      state.subscription(request.subscription).queue.ack(request.ackIds ?? []);
      return {};
    }),
    Pull: unary((request: { subscription?: string; maxMessages?: number }) => {
      const record = state.subscription(request.subscription);
      const max = request.maxMessages ?? 0;
      if (max <= 0) throw invalidArgument('max_messages must be a positive integer.');
      const delivered = record.queue.pull(max, (record.config.ackDeadlineSeconds ?? 10) * 1000);
      return { receivedMessages: delivered.map(toReceivedMessage) };
    }),
    StreamingPull: streamingPull(state),
    ModifyPushConfig: unary((request: { subscription?: string; pushConfig?: PushConfigProto }) => {
      const record = state.subscription(request.subscription);
      state.updateSubscription(
        { name: record.name, pushConfig: request.pushConfig ?? {} },
        { paths: ['push_config'] },
      );
      return {};
    }),
    GetSnapshot: notEmulated('GetSnapshot (snapshots)'),
    ListSnapshots: notEmulated('ListSnapshots (snapshots)'),
    CreateSnapshot: notEmulated('CreateSnapshot (snapshots)'),
    UpdateSnapshot: notEmulated('UpdateSnapshot (snapshots)'),
    DeleteSnapshot: notEmulated('DeleteSnapshot (snapshots)'),
    Seek: notEmulated('Seek'),
  };
}
