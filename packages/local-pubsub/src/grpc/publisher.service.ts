import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import type { FieldMaskProto, PubsubMessageProto, TopicProto } from '../model/proto-types.js';
import { parseProjectName } from '../model/resource-names.js';
import { page } from '../state/page.js';
import type { PublishFaults } from '../state/publish-faults.js';
import type { PubSubState } from '../state/pubsub-state.js';
import { notEmulated, unary } from './handlers.js';

interface ListRequest {
  project?: string;
  topic?: string;
  pageSize?: number;
  pageToken?: string;
}

/** google.pubsub.v1.Publisher over the in-memory state. */
export function publisherService(state: PubSubState, faults: PublishFaults): UntypedServiceImplementation {
  return {
    CreateTopic: unary((request: TopicProto) => state.createTopic(request)),
    UpdateTopic: unary((request: { topic?: TopicProto; updateMask?: FieldMaskProto }) =>
      state.updateTopic(request.topic ?? {}, request.updateMask),
    ),
    Publish: unary((request: { topic?: string; messages?: PubsubMessageProto[] }) => ({
      messageIds: faults.publish(request.topic, () => state.publish(request.topic, request.messages)),
    })),
    GetTopic: unary((request: { topic?: string }) => state.getTopic(request.topic)),
    ListTopics: unary((request: ListRequest) => {
      const result = page(
        state.listTopics(parseProjectName(request.project)),
        request.pageSize,
        request.pageToken,
      );
      return { topics: result.items, nextPageToken: result.nextPageToken };
    }),
    ListTopicSubscriptions: unary((request: ListRequest) => {
      const result = page(state.topicSubscriptions(request.topic), request.pageSize, request.pageToken);
      return { subscriptions: result.items, nextPageToken: result.nextPageToken };
    }),
    ListTopicSnapshots: notEmulated('ListTopicSnapshots (snapshots)'),
    DeleteTopic: unary((request: { topic?: string }) => {
      state.deleteTopic(request.topic);
      return {};
    }),
    DetachSubscription: unary((request: { subscription?: string }) => {
      state.detachSubscription(request.subscription);
      return {};
    }),
  };
}
