import type { Topic } from '@google-cloud/pubsub';
import { AppError } from '../errors/app-error.js';
import type { DeadLetterMessage, DeadLetterPublisher } from './dead-letter-publisher.js';

/** `DeadLetterPublisher` on a Pub/Sub topic (the subscription's dead-letter topic). */
export class TopicDeadLetterPublisher implements DeadLetterPublisher {
  constructor(private readonly topic: Pick<Topic, 'publishMessage' | 'name'>) {}

  async publish(message: DeadLetterMessage): Promise<void> {
    try {
      await this.topic.publishMessage({ data: message.data, attributes: { ...message.attributes } });
    } catch (error) {
      throw new AppError('publishing to the dead-letter topic failed', {
        code: 'DEAD_LETTER_PUBLISH_FAILED',
        retryable: true,
        cause: error,
        details: { topic: this.topic.name },
      });
    }
  }
}
