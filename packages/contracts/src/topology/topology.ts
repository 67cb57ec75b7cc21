/** The Pub/Sub topics of the system, by role. */
export const Topics = {
  exportRequests: 'export-requests',
  fileReady: 'file-ready',
  exportEvents: 'export-events',
} as const;

export type TopicName = (typeof Topics)[keyof typeof Topics];

/** The service (or operator tool) that reads a subscription. */
export type Consumer = 'extractor' | 'uploader' | 'tracker-notifier' | 'ops';

/** One consumed topic: its subscription, and where messages go when they fail for good. */
export interface TopologyEntry {
  readonly topic: TopicName;
  /** The message kind published on the topic (see `MessageCatalog`). */
  readonly messageKind: 'export.requested' | 'file.ready' | 'export.events';
  readonly consumer: Exclude<Consumer, 'ops'>;
  /** `<consumer>.<topic>` */
  readonly subscription: string;
  /** `<topic>.dead-letter` */
  readonly deadLetterTopic: string;
  /** `ops.<topic>.dead-letter`, read by the operator CLI to inspect and replay. */
  readonly deadLetterSubscription: string;
  /** Deliveries before Pub/Sub moves a message to the dead-letter topic (Pub/Sub allows 5-100). */
  readonly maxDeliveryAttempts: number;
}

/** Attempts before dead-lettering: enough to ride out a partner's short outage with backoff. */
export const MAX_DELIVERY_ATTEMPTS = 10;

function entry(
  topic: TopicName,
  messageKind: TopologyEntry['messageKind'],
  consumer: TopologyEntry['consumer'],
): TopologyEntry {
  const deadLetterTopic = `${topic}.dead-letter`;
  return Object.freeze({
    topic,
    messageKind,
    consumer,
    subscription: `${consumer}.${topic}`,
    deadLetterTopic,
    deadLetterSubscription: `ops.${deadLetterTopic}`,
    maxDeliveryAttempts: MAX_DELIVERY_ATTEMPTS,
  });
}

/**
 * Every topic, subscription and dead-letter pair of the system in one table: the local cloud
 * creates them from it, the Terraform checks compare against it and the CLI replays from it.
 */
export const Topology: readonly TopologyEntry[] = Object.freeze([
  entry(Topics.exportRequests, 'export.requested', 'extractor'),
  entry(Topics.fileReady, 'file.ready', 'uploader'),
  entry(Topics.exportEvents, 'export.events', 'tracker-notifier'),
]);

/** The topology entry for a topic. */
export function topologyOf(topic: TopicName): TopologyEntry {
  const found = Topology.find((candidate) => candidate.topic === topic);
  if (found === undefined) throw new Error(`no topology entry for topic ${topic}`);
  return found;
}
