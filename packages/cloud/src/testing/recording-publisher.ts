import type { MessagePublisher, OutgoingMessage } from '../ports/message-publisher.js';

export interface RecordedMessage extends OutgoingMessage {
  readonly topic: string;
  readonly messageId: string;
}

/** A MessagePublisher that keeps what it was given, and can be told to fail, for unit tests. */
export class RecordingPublisher implements MessagePublisher {
  readonly messages: RecordedMessage[] = [];
  private failures: Error[] = [];
  private counter = 0;

  /** The next `count` publishes reject with `error`. */
  failNext(error: Error, count = 1): void {
    for (let i = 0; i < count; i++) this.failures.push(error);
  }

  on(topic: string): RecordedMessage[] {
    return this.messages.filter((m) => m.topic === topic);
  }

  publish(topic: string, message: OutgoingMessage): Promise<string> {
    const failure = this.failures.shift();
    if (failure) return Promise.reject(failure);
    const messageId = String(++this.counter);
    this.messages.push({ ...message, topic, messageId });
    return Promise.resolve(messageId);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
