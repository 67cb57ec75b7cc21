import { Secret } from '@bq-sftp-export/config';
import { startSlackSink } from '@bq-sftp-export/local-sinks';
import type { SlackSink } from '@bq-sftp-export/local-sinks';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';

import { renderSlack } from '../domain/render-slack.js';
import { runNotificationOf } from '../domain/run-notification.js';
import { events, runFacts } from '../domain/testing/events.js';
import { SlackWebhookSender } from './slack-webhook-sender.adapter.js';

const message = renderSlack(runNotificationOf(events.delivered(runFacts('run-1')), 'recovery'));

describe('SlackWebhookSender (Slack webhook sink, @slack/webhook)', () => {
  let sink: SlackSink;
  let url: Secret;
  let attemptsBefore = 0;
  /** Requests since the test began (the sink counts across clears). */
  const attempts = () => sink.attempts() - attemptsBefore;
  const sender = new SlackWebhookSender({ timeoutMs: 10_000 });

  beforeAll(async () => {
    sink = await startSlackSink();
    url = new Secret('SLACK_WEBHOOK_URL', sink.url);
  });
  afterAll(async () => {
    await sink.stop();
  });
  beforeEach(() => {
    sink.clear();
    attemptsBefore = sink.attempts();
  });

  it('posts Block Kit that Slack accepts', async () => {
    await sender.post(message, url);
    const [post] = await sink.waitFor(1, 10_000);
    expect(post?.payload['text']).toBe('shopify_customers recovered: delivered');
    expect(post?.payload['blocks']).toEqual(JSON.parse(JSON.stringify(message.blocks)));
  });

  it('waits for Retry-After after a 429 and posts again', async () => {
    sink.rateLimitNext(1, 1);
    const started = Date.now();
    await sender.post(message, url);
    // A lower bound only: the sender must not come back before Slack said it may.
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(attempts()).toBe(2);
    expect(sink.posts()).toHaveLength(1);
  });

  it('gives up a 429 whose Retry-After is longer than it is willing to wait, as retryable', async () => {
    sink.rateLimitNext(1, 3600);
    await expect(sender.post(message, url)).rejects.toMatchObject({
      code: 'SLACK_HTTP_429',
      retryable: true,
    });
    expect(attempts()).toBe(1);
  });

  it('never retries a 5xx: the post may have landed', async () => {
    sink.failNext(1, 500);
    await expect(sender.post(message, url)).rejects.toMatchObject({
      code: 'SLACK_HTTP_500',
      retryable: false,
      details: { attempts: 1, status: 500 },
    });
    expect(attempts()).toBe(1);
    expect(sink.posts()).toHaveLength(0);
  });

  it('never retries when there is no answer, and does not put the URL in the error', async () => {
    const port = new URL(sink.url).port;
    const nowhere = new Secret('SLACK_WEBHOOK_URL', `http://127.0.0.1:1/services/T000/B000/XXXX?p=${port}`);
    const failure = sender.post(message, nowhere);
    await expect(failure).rejects.toMatchObject({ code: 'SLACK_NO_RESPONSE', retryable: false });
    await expect(failure).rejects.not.toThrow('T000');
  });
});
