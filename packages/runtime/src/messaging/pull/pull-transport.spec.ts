import { describe, expect, it } from '@jest/globals';
import { createLogger } from '../../logging/create-logger.js';
import { LogCapture } from '../../logging/log-capture.js';
import type { MessageHandler } from '../handler.js';
import { Outcome } from '../handler.js';
import { MessageProcessor } from '../message-processor.js';
import { deferred } from '../testing/deferred.js';
import { FakePullSubscription } from '../testing/fake-pull-subscription.js';
import type { FakeMessage } from '../testing/fake-pull-subscription.js';
import { RecordingDeadLetterPublisher } from '../testing/recording-dead-letter-publisher.js';
import { PullTransport } from './pull-transport.js';

function setUp(handler: MessageHandler<string>, maxMessages = 2) {
  const capture = new LogCapture();
  const logger = createLogger({ level: 'debug', name: 'test', destination: capture });
  const deadLetters = new RecordingDeadLetterPublisher();
  const processor = new MessageProcessor<string>({
    subscription: 'work',
    decode: (data) => {
      const text = data.toString('utf8');
      if (text === 'malformed') throw new Error('not a job');
      return text;
    },
    handler,
    deadLetters,
    logger,
  });
  const subscription = new FakePullSubscription();
  const errors: Error[] = [];
  const transport = new PullTransport(subscription, processor, {
    logger,
    maxMessages,
    onError: (error) => void errors.push(error),
  });
  return { capture, deadLetters, subscription, transport, errors };
}

async function settledOf(message: FakeMessage): Promise<Array<'ack' | 'nack'>> {
  while (message.settled.length === 0) await new Promise((resolve) => setImmediate(resolve));
  return message.settled;
}

describe('PullTransport', () => {
  it('configures flow control, short ack deadlines, lease extension and a waiting close', () => {
    const { subscription, transport } = setUp(() => Promise.resolve(Outcome.ack()), 3);
    transport.start();
    const options = subscription.options!;
    expect(options.flowControl).toEqual({ maxMessages: 3, allowExcessMessages: false });
    expect(options.maxAckDeadline?.totalOf('second')).toBeLessThanOrEqual(60);
    expect(options.maxExtensionTime?.totalOf('minute')).toBe(60);
    expect(options.closeOptions?.behavior).toBe('WAIT');
  });

  it('acks, nacks and dead-letters according to the outcome', async () => {
    const { subscription, transport, deadLetters } = setUp((job) =>
      Promise.resolve(job === 'retry' ? Outcome.retry('later') : Outcome.ack()),
    );
    transport.start();
    const ok = subscription.deliver('1', 'ok');
    const retry = subscription.deliver('2', 'retry');
    const malformed = subscription.deliver('3', 'malformed', { eventType: 'x' });
    expect(await settledOf(ok)).toEqual(['ack']);
    expect(await settledOf(retry)).toEqual(['nack']);
    expect(await settledOf(malformed)).toEqual(['ack']);
    expect(deadLetters.published.map((letter) => letter.attributes['sourceMessageId'])).toEqual(['3']);
    await transport.stop(1_000);
  });

  it('on stop: finishes in-flight work within the budget, then closes and takes no more', async () => {
    const gate = deferred();
    const { subscription, transport } = setUp(async () => {
      await gate.promise;
      return Outcome.ack();
    });
    transport.start();
    const inFlight = subscription.deliver('1', 'job');
    const stopped = transport.stop(60_000);
    expect(subscription.closed).toBe(true);
    const late = subscription.deliver('2', 'job');
    expect(await settledOf(late)).toEqual(['nack']);
    gate.resolve();
    await stopped;
    expect(inFlight.settled).toEqual(['ack']);
    expect(subscription.listenerCount('message')).toBe(0);
  });

  it('on stop: a slow handler is signalled, then nacked (never acked) when the budget runs out', async () => {
    const gate = deferred();
    let aborted = false;
    const { subscription, transport, capture } = setUp(async (_job, context) => {
      context.signal.addEventListener('abort', () => (aborted = true));
      await gate.promise; // ignores the signal on purpose
      return Outcome.ack();
    });
    transport.start();
    const slow = subscription.deliver('1', 'job');
    await new Promise((resolve) => setImmediate(resolve));

    await transport.stop(50);
    // stop resolved while the handler is still running: it did not wait past the budget.
    expect(slow.settled).toEqual(['nack']);
    expect(aborted).toBe(true);
    expect(capture.entries()).toContainEqual(
      expect.objectContaining({ message: 'pull transport drained', abandoned: 1 }),
    );

    gate.resolve();
    await new Promise((resolve) => setImmediate(resolve));
    expect(slow.settled).toEqual(['nack']);
  });

  it('reports stream errors', () => {
    const { subscription, transport, errors, capture } = setUp(() => Promise.resolve(Outcome.ack()));
    transport.start();
    subscription.emit('error', new Error('5 NOT_FOUND: Resource not found'));
    expect(errors.map((error) => error.message)).toEqual(['5 NOT_FOUND: Resource not found']);
    expect(capture.entries()).toContainEqual(
      expect.objectContaining({ severity: 'ERROR', message: 'subscription stream failed' }),
    );
  });
});
