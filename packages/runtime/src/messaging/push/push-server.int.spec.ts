import { afterEach, describe, expect, it } from '@jest/globals';
import { AppError } from '../../errors/app-error.js';
import type { HandlerOutcome, MessageHandler } from '../handler.js';
import { Outcome } from '../handler.js';
import { deferred } from '../testing/deferred.js';
import { envelope, post, running, startPushServer as start } from '../testing/push-server-kit.js';
import type { Job } from '../testing/push-server-kit.js';
import type { LogCapture } from '../../logging/log-capture.js';

afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.stop(0)));
});

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

  it('asks the authenticator first and answers its refusal without running the handler', async () => {
    const seenAuthorization: Array<string | undefined> = [];
    const handled: string[] = [];
    const { base, capture } = await start(
      (job) => {
        handled.push(job.action);
        return Promise.resolve(Outcome.ack());
      },
      {
        authenticator: {
          authenticate: (headers) => {
            seenAuthorization.push(headers.authorization);
            if (headers.authorization === 'Bearer good-token') return Promise.resolve({ ok: true });
            const status = headers.authorization === 'Bearer other-identity' ? 403 : 401;
            return Promise.resolve({ ok: false, status, reason: 'test says no' });
          },
        },
      },
    );
    const refused = await post(base, envelope('{"action":"ack"}'), { authorization: 'Bearer bad-token' });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toBe('Bearer');
    expect(
      (await post(base, envelope('{"action":"ack"}'), { authorization: 'Bearer other-identity' })).status,
    ).toBe(403);
    expect(handled).toEqual([]);
    expect(
      (await post(base, envelope('{"action":"ack"}'), { authorization: 'Bearer good-token' })).status,
    ).toBe(204);
    expect(handled).toEqual(['ack']);
    expect(seenAuthorization).toEqual(['Bearer bad-token', 'Bearer other-identity', 'Bearer good-token']);
    expect(capture.entries()).toContainEqual(
      expect.objectContaining({ message: 'push request refused', status: 401, reason: 'test says no' }),
    );
    expect(capture.text()).not.toContain('bad-token');
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

  describe('a delivery that outlasts the ack deadline (push cannot extend it)', () => {
    const ackDeadlineMs = 2_000;

    /** Pub/Sub's side of a push: it gives up on the request when the ack deadline passes. */
    const pushAsPubSub = (base: string, body: string): Promise<number | string> =>
      fetch(`${base}/push`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json' },
        signal: AbortSignal.timeout(ackDeadlineMs),
      }).then(
        (response) => response.status,
        // A DOMException from another realm under jest: read its name, not its class.
        (error: unknown) => String((error as { readonly name?: unknown }).name),
      );

    /** Waits (up to 5 s, then fails) for a log line with `message`. */
    const logged = async (capture: LogCapture, message: string): Promise<void> => {
      for (let waited = 0; !capture.entries().some((entry) => entry['message'] === message); waited += 20) {
        if (waited > 5_000) throw new Error(`no log line "${message}"`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };

    async function longRun(settle: HandlerOutcome) {
      const gate = deferred();
      const calls: string[] = [];
      const started = await start(
        async (job, context) => {
          calls.push(context.messageId);
          if (job.action === 'slow') await gate.promise;
          return settle;
        },
        { ackDeadlineMs },
      );
      return { ...started, gate, calls };
    }

    it('joins the redelivery to the run still in progress and answers it with the run result', async () => {
      const { base, capture, gate, calls } = await longRun(Outcome.ack());
      const body = envelope('{"action":"slow"}', {}, 'long-1');

      expect(await pushAsPubSub(base, body)).toBe('TimeoutError');
      expect(capture.entries()).toContainEqual(
        expect.objectContaining({
          severity: 'WARNING',
          message: 'push delivery is outlasting the ack deadline; Pub/Sub will redeliver it',
          messageId: 'long-1',
          ackDeadlineSeconds: 2,
          advice: expect.stringContaining('TRANSPORT=pull'),
        }),
      );

      const redelivery = post(base, body);
      await logged(
        capture,
        'push redelivery joined the run still in progress; the handler is not called again',
      );
      gate.resolve();
      expect((await redelivery).status).toBe(204);
      expect(calls).toEqual(['long-1']);
      const late = capture
        .entries()
        .find(
          (entry) =>
            entry['message'] ===
            'push delivery finished after the ack deadline; its redelivery carries the result',
        );
      expect(late).toMatchObject({ messageId: 'long-1', settlement: 'ack' });
      expect(late?.['durationMs']).toBeGreaterThan(ackDeadlineMs);

      // Once the run has ended, a delivery of the same message runs the handler again (the
      // handler's own idempotence decides), and a quick one logs no deadline warning.
      expect((await post(base, envelope('{"action":"ack"}', {}, 'long-1'))).status).toBe(204);
      expect(calls).toEqual(['long-1', 'long-1']);
      expect(
        capture.entries().filter((entry) => String(entry['message']).includes('ack deadline')),
      ).toHaveLength(2);
    }, 15_000);

    it('answers the joined redelivery 503 when the long run asks for a retry, so the message is not lost', async () => {
      const { base, capture, gate, calls } = await longRun(Outcome.retry('later'));
      const body = envelope('{"action":"slow"}', {}, 'long-2');

      expect(await pushAsPubSub(base, body)).toBe('TimeoutError');
      const redelivery = post(base, body);
      await logged(
        capture,
        'push redelivery joined the run still in progress; the handler is not called again',
      );
      gate.resolve();
      expect((await redelivery).status).toBe(503);
      expect(calls).toEqual(['long-2']);
    }, 15_000);
  });
});
