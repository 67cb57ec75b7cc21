import { afterEach, describe, expect, it } from '@jest/globals';
import { IncomingWebhook, IncomingWebhookHTTPError, type FetchFunction } from '@slack/webhook';
import { startSlackSink, type SlackSink } from './start-slack-sink.js';

const WAIT = 10_000;

describe('startSlackSink', () => {
  let sink: SlackSink | undefined;
  const start = async (): Promise<SlackSink> => (sink = await startSlackSink());

  afterEach(async () => {
    await sink?.stop();
    sink = undefined;
  });

  it('accepts a text message and answers "ok"', async () => {
    const slack = await start();
    const result = await new IncomingWebhook(slack.url).send('Export orders delivered: 3 files');
    expect(result.text).toBe('ok');
    const [post] = await slack.waitFor(1, WAIT);
    expect(post).toMatchObject({
      path: '/services/T000/B000/XXXX',
      payload: { text: 'Export orders delivered: 3 files' },
    });
  });

  it('accepts blocks, with the defaults the client adds', async () => {
    const slack = await start();
    const blocks = [
      { type: 'header', text: { type: 'plain_text', text: 'Export failed' } },
      { type: 'section', text: { type: 'mrkdwn', text: '*orders* run 42: SFTP refused the key' } },
      { type: 'divider' },
    ];
    await new IncomingWebhook(slack.url, { username: 'bq-sftp-export' }).send({
      text: 'Export failed',
      blocks,
    });
    expect(slack.posts().map((post) => post.payload)).toEqual([
      { username: 'bq-sftp-export', text: 'Export failed', blocks },
    ]);
  });

  it("refuses what Slack refuses, with Slack's error body", async () => {
    const slack = await start();
    const webhook = new IncomingWebhook(slack.url);
    await expect(webhook.send({})).rejects.toMatchObject({ statusCode: 400, body: 'no_text' });
    await expect(webhook.send({ blocks: [{ type: 'banner' }] })).rejects.toMatchObject({
      statusCode: 400,
      body: 'invalid_blocks',
    });
    await expect(new IncomingWebhook(`${slack.url}-wrong`).send('x')).rejects.toMatchObject({
      statusCode: 404,
      body: 'no_service',
    });
    expect(slack.posts()).toEqual([]);
  });

  it('answers 429 with Retry-After; @slack/webhook throws at once, never retrying a 429', async () => {
    const slack = await start();
    const retryAfter: (string | null)[] = [];
    const recordingFetch: FetchFunction = async (input, init) => {
      const response = await fetch(input, init);
      retryAfter.push(response.headers.get('retry-after'));
      return response;
    };
    const webhook = new IncomingWebhook(slack.url, {
      fetch: recordingFetch,
      retryConfig: { retries: 3, minTimeout: 1, maxTimeout: 5 },
    });
    slack.rateLimitNext(1, 7);

    const failure = await webhook.send('hello').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(IncomingWebhookHTTPError);
    expect(failure).toMatchObject({ statusCode: 429, body: 'rate_limited' });
    expect(retryAfter).toEqual(['7']);
    expect(slack.attempts()).toBe(1);

    await webhook.send('hello again');
    expect(slack.posts().map((post) => post.payload['text'])).toEqual(['hello again']);
  });

  it('answers 500 when told to; the client throws by default and recovers when given retries', async () => {
    const slack = await start();
    slack.failNext(1);
    await expect(new IncomingWebhook(slack.url).send('first')).rejects.toMatchObject({ statusCode: 500 });

    slack.failNext(2, 503);
    const retrying = new IncomingWebhook(slack.url, {
      retryConfig: { retries: 3, minTimeout: 1, maxTimeout: 5 },
    });
    await retrying.send('second');
    expect(slack.attempts()).toBe(4);
    expect(slack.posts().map((post) => post.payload['text'])).toEqual(['second']);
    slack.clear();
    expect(slack.posts()).toEqual([]);
  });
});
