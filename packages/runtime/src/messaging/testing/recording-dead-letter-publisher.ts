import type { DeadLetterMessage, DeadLetterPublisher } from '../dead-letter-publisher.js';

/** Keeps published dead letters in memory; `failWith` makes the next publishes fail. */
export class RecordingDeadLetterPublisher implements DeadLetterPublisher {
  readonly published: DeadLetterMessage[] = [];
  failWith: Error | undefined;

  publish(message: DeadLetterMessage): Promise<void> {
    if (this.failWith !== undefined) return Promise.reject(this.failWith);
    this.published.push(message);
    return Promise.resolve();
  }
}
