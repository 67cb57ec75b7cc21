import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { PubSub } from '@google-cloud/pubsub';
import type { CreateSubscriptionOptions, Message } from '@google-cloud/pubsub';

import { clientOptions, startLocalPubSub } from '@bq-sftp-export/local-pubsub';
import type { LocalPubSub } from '@bq-sftp-export/local-pubsub';

import { pollUntil } from '@bq-sftp-export/testing';
import { LogCapture } from '../../logging/log-capture.js';
import { createLogger } from '../../logging/create-logger.js';
import { Outcome } from '../handler.js';
import type { MessageContext, MessageHandler } from '../handler.js';
import { MessageProcessor } from '../message-processor.js';
import { TopicDeadLetterPublisher } from '../topic-dead-letter-publisher.js';
import { deferred } from '../testing/deferred.js';
import { pause, WAIT } from '../testing/wait-for.js';
import { PullTransport } from './pull-transport.js';
import type { PullSettings } from './pull-subscriber-options.js';

const PROJECT = 'pull-test';
/** One-second leases, which local-pubsub allows with `minDeadlineSeconds: 1`. */
const shortLeases: PullSettings = { minAckDeadlineSeconds: 1, maxAckDeadlineSeconds: 1 };

let server: LocalPubSub;
let pubsub: PubSub;
const cleanups: Array<() => Promise<unknown>> = [];
let counter = 0;

beforeAll(async () => {
  server = await startLocalPubSub({ port: 0, minDeadlineSeconds: 1 });
  pubsub = new PubSub(clientOptions(server.host, PROJECT));
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

afterAll(async () => {
  await pubsub.close();
  await server.stop();
});

interface Setup {
  readonly topic: string;
  readonly subscription: string;
  readonly deadLetterTopic: string;
}

/** A topic, its dead-letter topic (unless `withDeadLetterTopic` is false) and a subscription. */
async function setup(
  options: { withDeadLetterTopic?: boolean; subscription?: CreateSubscriptionOptions } = {},
): Promise<Setup> {
  counter += 1;
  const names = {
    topic: `work-${counter}`,
    subscription: `worker.work-${counter}`,
    deadLetterTopic: `work-${counter}.dead-letter`,
  };
  await pubsub.createTopic(names.topic);
  const withDeadLetterTopic = options.withDeadLetterTopic ?? true;
  if (withDeadLetterTopic) {
    await pubsub.createTopic(names.deadLetterTopic);
    await pubsub.createSubscription(names.deadLetterTopic, `ops.${names.deadLetterTopic}`);
  }
  await pubsub.createSubscription(names.topic, names.subscription, {
    ackDeadlineSeconds: 1,
    ...(withDeadLetterTopic
      ? {
          deadLetterPolicy: {
            deadLetterTopic: pubsub.topic(names.deadLetterTopic).name,
            maxDeliveryAttempts: 100,
          },
        }
      : {}),
    ...options.subscription,
  });
  return names;
}

interface Worker {
  readonly transport: PullTransport<string>;
  readonly logs: LogCapture;
}

/** A pull worker on `client`; payloads starting with `malformed` fail to decode. */
function startWorker(
  names: Setup,
  handler: MessageHandler<string>,
  settings: PullSettings & { onError?: (error: Error) => void } = {},
  client: PubSub = pubsub,
): Worker {
  const logs = new LogCapture();
  const logger = createLogger({ level: 'debug', name: 'pull-test', destination: logs });
  const processor = new MessageProcessor<string>({
    subscription: names.subscription,
    decode: (data) => {
      const text = data.toString('utf8');
      if (text.startsWith('malformed')) throw new Error(`cannot decode ${text.length} bytes`);
      return text;
    },
    handler,
    deadLetters: new TopicDeadLetterPublisher(client.topic(names.deadLetterTopic)),
    logger,
  });
  const transport = new PullTransport(client.subscription(names.subscription), processor, {
    logger,
    ...shortLeases,
    closeTimeoutMs: 2_000,
    ...settings,
  });
  transport.start();
  cleanups.push(() => transport.stop(500));
  return { transport, logs };
}

function publish(topic: string, data: string, attributes: Record<string, string> = {}): Promise<string> {
  return pubsub.topic(topic).publishMessage({ data: Buffer.from(data), attributes });
}

/** A plain subscriber on a fresh Subscription object that acks everything it gets. */
function listen(subscription: string): Message[] {
  const received: Message[] = [];
  const stream = pubsub.subscription(subscription);
  stream.on('message', (message: Message) => {
    received.push(message);
    message.ack();
  });
  cleanups.push(() => stream.close());
  return received;
}

describe('PullTransport against the embedded Pub/Sub through the real client', () => {
  it('acks a handled message: it is gone from the subscription and not redelivered', async () => {
    const names = await setup();
    const calls: string[] = [];
    startWorker(names, (message) => {
      calls.push(message);
      return Promise.resolve(Outcome.ack());
    });

    const id = await publish(names.topic, 'hello', { eventType: 'test' });
    await pollUntil(() => (calls.length > 0 ? true : undefined), {
      describe: 'the message to be handled',
      ...WAIT,
    });
    await pollUntil(() => (server.outstanding(names.subscription).length === 0 ? true : undefined), {
      describe: 'the ack',
      ...WAIT,
    });
    await pause(1_500); // longer than the 1 s ack deadline
    expect(calls).toEqual(['hello']);
    expect(server.outstanding(names.subscription)).toEqual([]);
    expect(server.deadLettered(names.subscription)).toEqual([]);
    expect(server.published(names.topic).map((message) => message.id)).toEqual([id]);
  });

  it('redelivers a retry outcome with a rising deliveryAttempt, then acks', async () => {
    const names = await setup();
    const attempts: number[] = [];
    startWorker(names, (_message, context) => {
      attempts.push(context.deliveryAttempt);
      return Promise.resolve(attempts.length < 3 ? Outcome.retry('partner down') : Outcome.ack());
    });

    await publish(names.topic, 'retry me');
    await pollUntil(() => (attempts.length >= 3 ? true : undefined), {
      describe: 'three deliveries',
      ...WAIT,
    });
    await pollUntil(() => (server.outstanding(names.subscription).length === 0 ? true : undefined), {
      describe: 'the ack',
      ...WAIT,
    });
    expect(attempts).toEqual([1, 2, 3]);
  });

  it('sends malformed data to the dead-letter topic with the original data and attributes, then acks', async () => {
    const names = await setup();
    const handled: string[] = [];
    const { logs } = startWorker(names, (message) => {
      handled.push(message);
      return Promise.resolve(Outcome.ack());
    });
    const deadLetters = listen(`ops.${names.deadLetterTopic}`);

    const id = await publish(names.topic, 'malformed {', { eventType: 'file.ready', correlationId: 'run-1' });
    const [deadLetter] = await pollUntil(() => (deadLetters.length > 0 ? deadLetters : undefined), {
      describe: 'the dead letter',
      ...WAIT,
    });
    await pollUntil(() => (server.outstanding(names.subscription).length === 0 ? true : undefined), {
      describe: 'the ack',
      ...WAIT,
    });

    expect(handled).toEqual([]);
    expect(deadLetter?.data.toString()).toBe('malformed {');
    expect(deadLetter?.attributes).toEqual({
      eventType: 'file.ready',
      correlationId: 'run-1',
      deadLetterReason: 'cannot decode 11 bytes',
      deadLetterCode: 'MESSAGE_MALFORMED',
      sourceSubscription: names.subscription,
      sourceMessageId: id,
    });
    expect(logs.text()).not.toContain('malformed {');
  });

  it('nacks when the dead-letter topic is missing, so the message is redelivered, not lost', async () => {
    const names = await setup({ withDeadLetterTopic: false });
    const { logs } = startWorker(names, () =>
      Promise.resolve(Outcome.deadLetter('PERMANENT', 'never works')),
    );

    await publish(names.topic, 'keep me');
    await pollUntil(
      () =>
        logs.entries().filter((entry) => entry['outcome'] === 'deadLetterFailed').length >= 2
          ? true
          : undefined,
      { describe: 'a second delivery', ...WAIT },
    );
    expect(server.outstanding(names.subscription)).toHaveLength(1);
    expect(server.outstanding(names.subscription)[0]?.data.toString()).toBe('keep me');
  });

  it('with maxMessages 1 does not take a second message while the first is in flight', async () => {
    const names = await setup();
    const release = deferred();
    const started: string[] = [];
    startWorker(
      names,
      async (message) => {
        started.push(message);
        if (message === 'first') await release.promise;
        return Outcome.ack();
      },
      { maxMessages: 1 },
    );

    await publish(names.topic, 'first');
    await pollUntil(() => (started.length > 0 ? true : undefined), {
      describe: 'the first message',
      ...WAIT,
    });
    await publish(names.topic, 'second');
    await pause(1_500); // past the 1 s ack deadline: the lease of "first" is extended meanwhile
    expect(started).toEqual(['first']);
    expect(server.outstanding(names.subscription).filter((message) => message.leased)).toHaveLength(1);

    release.resolve();
    await pollUntil(() => (started.length === 2 ? true : undefined), {
      describe: 'the second message',
      ...WAIT,
    });
    await pollUntil(() => (server.outstanding(names.subscription).length === 0 ? true : undefined), {
      describe: 'both acks',
      ...WAIT,
    });
    expect(started).toEqual(['first', 'second']);
  });

  it('extends the lease of a handler that runs longer than the ack deadline: no redelivery', async () => {
    const names = await setup();
    const attempts: number[] = [];
    let attemptsSeenByServer: number | undefined;
    startWorker(names, async (_message, context: MessageContext) => {
      attempts.push(context.deliveryAttempt);
      await pause(3_500); // three and a half 1 s deadlines
      attemptsSeenByServer = server.outstanding(names.subscription)[0]?.deliveryAttempts;
      return Outcome.ack();
    });

    await publish(names.topic, 'long work');
    await pollUntil(
      () => (attempts.length > 0 && server.outstanding(names.subscription).length === 0 ? true : undefined),
      { describe: 'the ack', ...WAIT },
    );
    expect(attempts).toEqual([1]);
    expect(attemptsSeenByServer).toBe(1);
  });

  it('on stop nacks a handler that does not finish in the budget: redelivered to a fresh subscriber', async () => {
    const names = await setup();
    const stuck = deferred();
    const signals: AbortSignal[] = [];
    const { transport, logs } = startWorker(names, async (_message, context) => {
      signals.push(context.signal);
      await stuck.promise; // ignores the abort signal
      return Outcome.ack();
    });

    const id = await publish(names.topic, 'slow');
    await pollUntil(() => (signals.length > 0 ? true : undefined), {
      describe: 'the handler to start',
      ...WAIT,
    });
    await transport.stop(300);
    expect(signals[0]?.aborted).toBe(true);
    expect(logs.entries().find((entry) => entry['message'] === 'pull transport drained')).toMatchObject({
      finished: 0,
      abandoned: 1,
    });

    const redelivered = listen(names.subscription);
    const [message] = await pollUntil(() => (redelivered.length > 0 ? redelivered : undefined), {
      describe: 'the redelivery',
      ...WAIT,
    });
    expect(message?.id).toBe(id);
    expect(message?.deliveryAttempt).toBe(2);
    stuck.resolve();
    await pollUntil(() => (server.outstanding(names.subscription).length === 0 ? true : undefined), {
      describe: 'the fresh ack',
      ...WAIT,
    });
  });

  it("passes a missing subscription's stream error to onError", async () => {
    const errors: Error[] = [];
    const { logs } = startWorker(
      { topic: 'none', subscription: 'worker.does-not-exist', deadLetterTopic: 'none.dead-letter' },
      () => Promise.resolve(Outcome.ack()),
      { onError: (error) => errors.push(error) },
    );
    const [error] = await pollUntil(() => (errors.length > 0 ? errors : undefined), {
      describe: 'the stream error',
      ...WAIT,
    });
    expect((error as Error & { code?: number }).code).toBe(5); // NOT_FOUND
    expect(logs.entries().some((entry) => entry['message'] === 'subscription stream failed')).toBe(true);
  });
});
