import { afterEach, describe, expect, it } from '@jest/globals';
import { AppError } from '../../errors/app-error.js';
import { createLogger } from '../../logging/create-logger.js';
import { LogCapture } from '../../logging/log-capture.js';
import type { MessageHandler } from '../handler.js';
import { Outcome } from '../handler.js';
import { MessageProcessor } from '../message-processor.js';
import { deferred } from '../testing/deferred.js';
import { RecordingDeadLetterPublisher } from '../testing/recording-dead-letter-publisher.js';
import type { PushServerOptions } from './push-server.js';
import { PushServer } from './push-server.js';

interface Job {
  readonly action: 'ack' | 'retry' | 'fail' | 'permanent' | 'slow';
}

const running: Array<PushServer<Job>> = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.stop(0)));
});

async function start(handler: MessageHandler<Job>, options: Partial<PushServerOptions> = {}) {
  const capture = new LogCapture();
  const logger = createLogger({ level: 'debug', name: 'test', destination: capture });
  const deadLetters = new RecordingDeadLetterPublisher();
  const processor = new MessageProcessor<Job>({
    subscription: 'uploader-push',
    decode: (data) => {
      const value = JSON.parse(data.toString('utf8')) as Partial<Job>;
      if (value.action === undefined)
        throw new AppError('action: required', { code: 'MESSAGE_INVALID', retryable: false });
      return value as Job;
    },
    handler,
    deadLetters,
    logger,
  });
  const server = new PushServer(processor, { logger, port: 0, host: '127.0.0.1', path: '/push', ...options });
  running.push(server);
  const port = await server.start();
  return { server, deadLetters, capture, base: `http://127.0.0.1:${port}` };
}

function envelope(data: string, attributes: Record<string, string> = {}, messageId = 'm-1'): string {
  return JSON.stringify({
    message: {
      data: Buffer.from(data).toString('base64'),
      attributes,
      messageId,
      publishTime: '2026-01-01T00:00:00.000Z',
    },
    subscription: 'projects/p/subscriptions/uploader-push',
    deliveryAttempt: 3,
  });
}

function post(base: string, body: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${base}/push`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

const byAction: MessageHandler<Job> = (job) => {
  switch (job.action) {
    case 'retry':
      return Promise.resolve(Outcome.retry('later'));
    case 'fail':
      return Promise.reject(new Error('socket hang up'));
    case 'permanent':
      return Promise.reject(new AppError('no such export', { code: 'EXPORT_UNKNOWN', retryable: false }));
    default:
      return Promise.resolve(Outcome.ack());
  }
};

describe('PushServer over real HTTP', () => {
  it('answers 204 for an acked delivery, passing the envelope facts to the handler', async () => {
    const seen: unknown[] = [];
    const { base } = await start((job, context) => {
      seen.push(
        job.action,
        context.messageId,
        context.deliveryAttempt,
        context.publishTime.toISOString(),
        context.attributes,
      );
      return Promise.resolve(Outcome.ack());
    });
    const response = await post(base, envelope('{"action":"ack"}', { eventType: 'file.ready' }));
    expect(response.status).toBe(204);
    expect(seen).toEqual(['ack', 'm-1', 3, '2026-01-01T00:00:00.000Z', { eventType: 'file.ready' }]);
  });

  it('puts the request trace on the delivery log lines when a project id is configured', async () => {
    const { base, capture } = await start(byAction, { projectId: 'proj' });
    await post(base, envelope('{"action":"ack"}'), {
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    });
    expect(capture.entries()).toContainEqual(
      expect.objectContaining({
        message: 'message handled',
        'logging.googleapis.com/trace': 'projects/proj/traces/4bf92f3577b34da6a3ce929d0e0e4736',
        'logging.googleapis.com/spanId': '00f067aa0ba902b7',
      }),
    );
  });

  it('answers 503 for a retry outcome and for a thrown retryable error', async () => {
    const { base, deadLetters } = await start(byAction);
    expect((await post(base, envelope('{"action":"retry"}'))).status).toBe(503);
    expect((await post(base, envelope('{"action":"fail"}'))).status).toBe(503);
    expect(deadLetters.published).toHaveLength(0);
  });

  it('dead-letters malformed content and permanent failures itself, then answers 204 (never 400)', async () => {
    const { base, deadLetters } = await start(byAction);
    expect(
      (await post(base, envelope('{"nothing":true}', { eventType: 'file.ready' }, 'bad-1'))).status,
    ).toBe(204);
    expect((await post(base, envelope('{not json', {}, 'bad-2'))).status).toBe(204);
    expect((await post(base, envelope('{"action":"permanent"}', {}, 'bad-3'))).status).toBe(204);
    expect(
      deadLetters.published.map((letter) => [
        letter.attributes['sourceMessageId'],
        letter.attributes['deadLetterCode'],
      ]),
    ).toEqual([
      ['bad-1', 'MESSAGE_INVALID'],
      ['bad-2', 'MESSAGE_MALFORMED'],
      ['bad-3', 'EXPORT_UNKNOWN'],
    ]);
    expect(deadLetters.published[0]?.data.toString()).toBe('{"nothing":true}');
    expect(deadLetters.published[0]?.attributes).toMatchObject({
      eventType: 'file.ready',
      sourceSubscription: 'uploader-push',
    });
  });

  it('answers 503 when the dead-letter publish fails, so Pub/Sub redelivers', async () => {
    const { base, deadLetters } = await start(byAction);
    deadLetters.failWith = new Error('unavailable');
    expect((await post(base, envelope('{"nothing":true}'))).status).toBe(503);
  });

  it('answers 400 only for requests that are not Pub/Sub deliveries, 404/405 elsewhere', async () => {
    const { base } = await start(byAction);
    expect((await post(base, 'not json')).status).toBe(400);
    expect(
      (await post(base, JSON.stringify({ message: { data: 'e30=', publishTime: '2026-01-01T00:00:00Z' } })))
        .status,
    ).toBe(400);
    expect((await fetch(`${base}/push`)).status).toBe(405);
    expect((await fetch(`${base}/elsewhere`, { method: 'POST', body: '{}' })).status).toBe(404);
  });

  it('refuses bodies over the size limit with 413', async () => {
    const { base } = await start(byAction, { maxBodyBytes: 1_024 });
    const response = await post(base, envelope(`{"action":"ack","pad":"${'x'.repeat(4_000)}"}`));
    expect(response.status).toBe(413);
  });

  it('asks the authenticator and answers 401 when it declines', async () => {
    const seenAuthorization: Array<string | undefined> = [];
    const { base } = await start(byAction, {
      authenticator: {
        authenticate: (headers) => {
          seenAuthorization.push(headers.authorization);
          return Promise.resolve(headers.authorization === 'Bearer good-token');
        },
      },
    });
    expect(
      (await post(base, envelope('{"action":"ack"}'), { authorization: 'Bearer bad-token' })).status,
    ).toBe(401);
    expect(
      (await post(base, envelope('{"action":"ack"}'), { authorization: 'Bearer good-token' })).status,
    ).toBe(204);
    expect(seenAuthorization).toEqual(['Bearer bad-token', 'Bearer good-token']);
  });

  it('never logs the payload', async () => {
    const { base, capture } = await start(byAction);
    await post(base, envelope('{"action":"ack","row":"alice,4111111111111111"}'));
    await post(base, envelope('{"row":"bob,5500000000000004"}'));
    expect(capture.lines.length).toBeGreaterThan(1);
    expect(capture.text()).not.toMatch(/4111111111111111|5500000000000004/);
  });

  it('on stop: /healthz and new deliveries get 503 while in-flight work finishes and is acked', async () => {
    const started = deferred();
    const gate = deferred();
    const { server, base } = await start(async (job) => {
      if (job.action === 'slow') {
        started.resolve();
        await gate.promise;
      }
      return Outcome.ack();
    });
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const slow = post(base, envelope('{"action":"slow"}'));
    await started.promise;

    const stopped = server.stop(60_000);
    expect((await fetch(`${base}/healthz`)).status).toBe(503);
    expect((await post(base, envelope('{"action":"ack"}', {}, 'late'))).status).toBe(503);
    gate.resolve();
    expect((await slow).status).toBe(204);
    await stopped;
  });

  it('on stop: a slow handler is signalled, then answered 503 (never 204) when the budget runs out', async () => {
    const started = deferred();
    const gate = deferred();
    let aborted = false;
    const { server, base } = await start(async (_job, context) => {
      context.signal.addEventListener('abort', () => (aborted = true));
      started.resolve();
      await gate.promise; // ignores the signal on purpose
      return Outcome.ack();
    });
    const slow = post(base, envelope('{"action":"slow"}'));
    await started.promise;

    await server.stop(50);
    // stop resolved while the handler is still running: it did not wait past the budget.
    expect((await slow).status).toBe(503);
    expect(aborted).toBe(true);
    gate.resolve();
  });
});
