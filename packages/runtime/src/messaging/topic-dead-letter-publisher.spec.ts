import { describe, expect, it } from '@jest/globals';
import { isAppError } from '../errors/app-error.js';
import { TopicDeadLetterPublisher } from './topic-dead-letter-publisher.js';

describe('TopicDeadLetterPublisher', () => {
  it('publishes the data and attributes unchanged and waits for the publish', async () => {
    const published: unknown[] = [];
    const publisher = new TopicDeadLetterPublisher({
      name: 'projects/p/topics/file-ready-dead-letter',
      publishMessage: (message: unknown) => {
        published.push(message);
        return Promise.resolve('id-1');
      },
    });
    await publisher.publish({ data: Buffer.from('raw'), attributes: { deadLetterCode: 'X' } });
    expect(published).toEqual([{ data: Buffer.from('raw'), attributes: { deadLetterCode: 'X' } }]);
  });

  it('wraps a failed publish in a retryable AppError naming the topic', async () => {
    const publisher = new TopicDeadLetterPublisher({
      name: 'projects/p/topics/dlq',
      publishMessage: () => Promise.reject(new Error('14 UNAVAILABLE')),
    });
    const caught = await publisher
      .publish({ data: Buffer.alloc(0), attributes: {} })
      .catch((error: unknown) => error);
    expect(isAppError(caught) && [caught.code, caught.retryable, caught.details['topic']]).toEqual([
      'DEAD_LETTER_PUBLISH_FAILED',
      true,
      'projects/p/topics/dlq',
    ]);
  });
});
