import type { Clock } from '../clock/clock.js';
import type {
  FieldMaskProto,
  PubsubMessageProto,
  SubscriptionProto,
  TopicProto,
} from '../model/proto-types.js';
import { alreadyExists, invalidArgument, notFound } from '../model/pubsub-error.js';
import { parseResourceName } from '../model/resource-names.js';
import { checkPublishLimits } from './publish-limits.js';
import type { StoredMessage } from '../model/stored-message.js';
import { applySubscriptionUpdate, normalizeSubscription, type ConfigLimits } from './subscription-config.js';
import type { IdTokenIssuer } from '../push/id-token-issuer.js';
import { SubscriptionRecord } from './subscription-record.js';

const DELETED_TOPIC = '_deleted-topic_';
const TOPIC_UPDATABLE = new Map<string, keyof TopicProto>([
  ['labels', 'labels'],
  ['message_storage_policy', 'messageStoragePolicy'],
  ['kms_key_name', 'kmsKeyName'],
  ['schema_settings', 'schemaSettings'],
  ['message_retention_duration', 'messageRetentionDuration'],
]);

interface TopicRecord {
  config: TopicProto;
  readonly published: StoredMessage[];
}

/** All topics and subscriptions of the emulator, in memory. */
export class PubSubState {
  private readonly topics = new Map<string, TopicRecord>();
  private readonly subscriptions = new Map<string, SubscriptionRecord>();
  private messageSeq = 0;
  private subscriptionSeq = 0;

  constructor(
    private readonly clock: Clock,
    readonly limits: ConfigLimits,
    /** Signs the OIDC token of push subscriptions that ask for one; without it none is sent. */
    private readonly pushTokens?: IdTokenIssuer,
  ) {}

  createTopic(request: TopicProto): TopicProto {
    const { name, id } = parseResourceName('topics', request.name);
    if (this.topics.has(name)) throw alreadyExists(id);
    const config: TopicProto = { ...request, name, labels: request.labels ?? {}, state: 'ACTIVE' };
    this.topics.set(name, { config, published: [] });
    return config;
  }

  getTopic(name: string | undefined): TopicProto {
    return this.topic(name).config;
  }

  updateTopic(update: TopicProto, mask: FieldMaskProto | undefined): TopicProto {
    const record = this.topic(update.name);
    const paths = mask?.paths ?? [];
    if (paths.length === 0) throw invalidArgument('The update_mask in the UpdateTopicRequest must be set.');
    const next: TopicProto = { ...record.config };
    for (const path of paths) {
      const field = TOPIC_UPDATABLE.get(path);
      if (field === undefined)
        throw invalidArgument(
          `Invalid update_mask provided in the UpdateTopicRequest: the path "${path}" is not valid.`,
        );
      if (update[field] === undefined) delete next[field];
      else next[field] = update[field];
    }
    record.config = next;
    return next;
  }

  listTopics(project: string): TopicProto[] {
    return this.sortedIn(this.topics, project, 'topics').map((record) => record.config);
  }

  deleteTopic(name: string | undefined): void {
    const record = this.topic(name);
    this.topics.delete(record.config.name ?? '');
    for (const subscription of this.subscriptions.values()) {
      if (subscription.config.topic === record.config.name)
        subscription.config = { ...subscription.config, topic: DELETED_TOPIC };
    }
  }

  topicSubscriptions(topic: string | undefined): string[] {
    const name = this.topic(topic).config.name;
    return [...this.subscriptions.values()]
      .filter((subscription) => subscription.config.topic === name)
      .map((subscription) => subscription.name)
      .sort();
  }

  publish(topic: string | undefined, messages: readonly PubsubMessageProto[] | undefined): string[] {
    const record = this.topic(topic);
    if (!messages || messages.length === 0) throw invalidArgument('The request contains no messages.');
    if (messages.some((m) => (m.data?.length ?? 0) === 0 && Object.keys(m.attributes ?? {}).length === 0)) {
      throw invalidArgument('Some messages are empty: a message needs data or at least one attribute.');
    }
    checkPublishLimits(record.config.name ?? '', messages);
    const stored = messages.map((m) =>
      this.store(m.data ?? Buffer.alloc(0), m.attributes ?? {}, m.orderingKey ?? ''),
    );
    this.deliver(record, stored);
    return stored.map((m) => m.messageId);
  }

  createSubscription(request: SubscriptionProto): SubscriptionProto {
    const config = normalizeSubscription(request, this.limits);
    const { id } = parseResourceName('subscriptions', config.name);
    const topic = parseResourceName('topics', request.topic);
    if (this.subscriptions.has(config.name ?? '')) throw alreadyExists(id);
    if (!this.topics.has(topic.name)) throw notFound(topic.id);
    this.requireDeadLetterTopic(config);
    const record = new SubscriptionRecord(
      { ...config, topic: topic.name },
      this.clock,
      `a${++this.subscriptionSeq}`,
      (target, message, attempts, from) => this.forwardToDeadLetter(target, message, attempts, from),
      this.pushTokens,
    );
    this.subscriptions.set(record.name, record);
    return record.config;
  }

  subscription(name: string | undefined): SubscriptionRecord {
    const { id, name: full } = parseResourceName('subscriptions', name);
    const record = this.subscriptions.get(full);
    if (record === undefined) throw notFound(id);
    return record;
  }

  updateSubscription(update: SubscriptionProto, mask: FieldMaskProto | undefined): SubscriptionProto {
    const record = this.subscription(update.name);
    const next = applySubscriptionUpdate(record.config, update, mask, this.limits);
    this.requireDeadLetterTopic(next);
    record.config = next;
    return record.config;
  }

  listSubscriptions(project: string): SubscriptionProto[] {
    return this.sortedIn(this.subscriptions, project, 'subscriptions').map((record) => record.config);
  }

  deleteSubscription(name: string | undefined): void {
    const record = this.subscription(name);
    this.subscriptions.delete(record.name);
    record.close();
  }

  /** DetachSubscription: the subscription stops receiving and loses its backlog. */
  detachSubscription(name: string | undefined): void {
    const record = this.subscription(name);
    record.queue.clear();
    record.config = { ...record.config, detached: true };
  }

  /** Messages published to the topic (dead-letter forwards included), oldest first. */
  publishedTo(topic: string): readonly StoredMessage[] {
    return this.topics.get(topic)?.published ?? [];
  }

  topicNames(): string[] {
    return [...this.topics.keys()].sort();
  }

  subscriptionNames(): string[] {
    return [...this.subscriptions.keys()].sort();
  }

  findSubscription(name: string): SubscriptionRecord | undefined {
    return this.subscriptions.get(name);
  }

  /** Deletes everything; open streams end with NOT_FOUND unless the server is shutting down anyway. */
  reset(notifyStreams = true): void {
    for (const record of this.subscriptions.values()) record.close(notifyStreams);
    this.subscriptions.clear();
    this.topics.clear();
  }

  private topic(name: string | undefined): TopicRecord {
    const { id, name: full } = parseResourceName('topics', name);
    const record = this.topics.get(full);
    if (record === undefined) throw notFound(id);
    return record;
  }

  /** The real service refuses a dead-letter policy whose topic does not exist. */
  private requireDeadLetterTopic(config: SubscriptionProto): void {
    const topic = config.deadLetterPolicy?.deadLetterTopic;
    if (topic !== undefined && !this.topics.has(topic)) throw notFound(parseResourceName('topics', topic).id);
  }

  private store(data: Buffer, attributes: Record<string, string>, orderingKey: string): StoredMessage {
    return {
      messageId: String(++this.messageSeq),
      data,
      attributes: { ...attributes },
      orderingKey,
      publishTime: this.clock.now(),
    };
  }

  private deliver(record: TopicRecord, messages: readonly StoredMessage[]): void {
    record.published.push(...messages);
    for (const subscription of this.subscriptions.values()) {
      if (subscription.config.topic === record.config.name && subscription.config.detached !== true)
        subscription.queue.add(messages);
    }
  }

  /** The real service keeps the data and attributes and adds the CloudPubSubDeadLetter* attributes. */
  private forwardToDeadLetter(
    topic: string,
    message: StoredMessage,
    attempts: number,
    from: SubscriptionRecord,
  ): boolean {
    const record = this.topics.get(topic);
    if (record === undefined) return false;
    const source = parseResourceName('subscriptions', from.name);
    const forwarded = this.store(
      message.data,
      {
        ...message.attributes,
        CloudPubSubDeadLetterSourceDeliveryCount: String(attempts),
        CloudPubSubDeadLetterSourceSubscription: source.id,
        CloudPubSubDeadLetterSourceSubscriptionProject: source.project,
        CloudPubSubDeadLetterSourceTopicPublishTime: new Date(message.publishTime)
          .toISOString()
          .replace('Z', '+00:00'),
      },
      message.orderingKey,
    );
    this.deliver(record, [forwarded]);
    return true;
  }

  private sortedIn<T>(map: ReadonlyMap<string, T>, project: string, kind: string): T[] {
    const prefix = `projects/${project}/${kind}/`;
    return [...map.entries()]
      .filter(([name]) => name.startsWith(prefix))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, value]) => value);
  }
}
