import type { PubSub, Topic } from '@google-cloud/pubsub';

import { SpanKind } from '@opentelemetry/api';

import { AppError, injectTraceContext, withSpan } from '@bq-sftp-export/runtime';

import type { MessagePublisher, OutgoingMessage } from '../ports/message-publisher.js';

const NOT_FOUND = 5;
const PERMISSION_DENIED = 7;
const INVALID_ARGUMENT = 3;

/** MessagePublisher on Pub/Sub through the official client (or the local cloud's Pub/Sub). */
export class PubSubMessagePublisher implements MessagePublisher {
  private readonly topics = new Map<string, Topic>();

  constructor(private readonly pubsub: PubSub) {}

  private topic(name: string): Topic {
    let topic = this.topics.get(name);
    if (!topic) {
      topic = this.pubsub.topic(name, { messageOrdering: true });
      this.topics.set(name, topic);
    }
    return topic;
  }

  publish(topicName: string, message: OutgoingMessage): Promise<string> {
    const attributes = {
      'messaging.system': 'gcp_pubsub',
      'messaging.destination.name': topicName,
      'messaging.message.body.size': message.data.length,
    };
    return withSpan(`${topicName} publish`, { kind: SpanKind.PRODUCER, attributes }, () =>
      this.#publish(topicName, message),
    );
  }

  async #publish(topicName: string, message: OutgoingMessage): Promise<string> {
    try {
      return await this.topic(topicName).publishMessage({
        data: message.data,
        // The active span's trace context, so the consumer's span joins this run's trace.
        attributes: injectTraceContext(message.attributes),
        ...(message.orderingKey === undefined ? {} : { orderingKey: message.orderingKey }),
      });
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      if (message.orderingKey !== undefined) this.topic(topicName).resumePublishing(message.orderingKey);
      const permanent = code === NOT_FOUND || code === PERMISSION_DENIED || code === INVALID_ARGUMENT;
      throw new AppError(
        `publish to topic ${topicName} failed${typeof code === 'number' ? ` (gRPC ${code})` : ''}`,
        {
          code: permanent ? 'PUBLISH_REJECTED' : 'PUBLISH_UNAVAILABLE',
          retryable: !permanent,
          cause: error,
          details: { topic: topicName },
        },
      );
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.topics.values()].map((topic) => topic.flush()));
    this.topics.clear();
  }
}
