import type { ProtoDuration } from './proto-time.js';

/** The google.pubsub.v1 messages as proto-loader decodes them (camelCase, absent fields undefined). */
export interface TopicProto {
  name?: string;
  labels?: Record<string, string>;
  messageStoragePolicy?: unknown;
  kmsKeyName?: string;
  schemaSettings?: unknown;
  messageRetentionDuration?: ProtoDuration;
  state?: string;
  [other: string]: unknown;
}

export interface PushConfigProto {
  pushEndpoint?: string;
  attributes?: Record<string, string>;
  oidcToken?: { serviceAccountEmail?: string; audience?: string };
  pubsubWrapper?: Record<string, never>;
  noWrapper?: { writeMetadata?: boolean };
  authenticationMethod?: string;
  wrapper?: string;
}

export interface SubscriptionProto {
  name?: string;
  topic?: string;
  pushConfig?: PushConfigProto;
  bigqueryConfig?: unknown;
  cloudStorageConfig?: unknown;
  bigtableConfig?: unknown;
  ackDeadlineSeconds?: number;
  retainAckedMessages?: boolean;
  messageRetentionDuration?: ProtoDuration;
  labels?: Record<string, string>;
  enableMessageOrdering?: boolean;
  expirationPolicy?: { ttl?: ProtoDuration };
  filter?: string;
  deadLetterPolicy?: { deadLetterTopic?: string; maxDeliveryAttempts?: number };
  retryPolicy?: { minimumBackoff?: ProtoDuration; maximumBackoff?: ProtoDuration };
  detached?: boolean;
  enableExactlyOnceDelivery?: boolean;
  state?: string;
  [other: string]: unknown;
}

export interface PubsubMessageProto {
  data?: Buffer;
  attributes?: Record<string, string>;
  messageId?: string;
  publishTime?: { seconds: number; nanos: number };
  orderingKey?: string;
}

export interface FieldMaskProto {
  paths?: string[];
}
