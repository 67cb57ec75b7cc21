import { createPublicKey, createVerify } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { pollUntil } from '@bq-sftp-export/testing';

import { IdTokenIssuer } from '../push/id-token-issuer.js';
import { PROJECT, startHarness, WAIT, type Harness } from '../testing/harness.js';

/** Push subscriptions: the server POSTs the standard envelope to an HTTP endpoint. */
interface Received {
  readonly at: number;
  readonly body: {
    message: Record<string, unknown> & { data: string; attributes: Record<string, string> };
    subscription: string;
    deliveryAttempt?: number;
  };
  readonly headers: http.IncomingHttpHeaders;
}

let h: Harness;
/** The server's push-token signer (`pushTokens`). */
const issuer = new IdTokenIssuer();
let endpoint: http.Server;
let url: string;
const received: Received[] = [];
/** Decides the answer to the n-th request (0-based): a status code, or 'hang' to never answer. */
let answer: (n: number) => number | 'hang' = () => 204;

beforeAll(async () => {
  h = await startHarness({ pushTokens: issuer });
  endpoint = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const n = received.length;
      received.push({
        at: Date.now(),
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Received['body'],
        headers: request.headers,
      });
      const reply = answer(n);
      if (reply !== 'hang') response.writeHead(reply).end();
    });
  });
  await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}/push`;
});
afterAll(async () => {
  await h.close();
  endpoint.closeAllConnections();
  await new Promise((resolve) => endpoint.close(resolve));
});
beforeEach(() => {
  h.server.reset();
  received.length = 0;
  answer = () => 204;
});

describe('push delivery', () => {
  it('POSTs the standard push envelope and a 2xx acknowledges', async () => {
    const [topic] = await h.pubsub.createTopic('pushed');
    await topic.createSubscription('pushed-sub', { pushConfig: { pushEndpoint: url } });
    const id = await topic.publishMessage({ data: Buffer.from('hello push'), attributes: { kind: 'test' } });

    const { body, headers } = await pollUntil(() => received[0], { describe: 'push', ...WAIT });
    expect(headers['content-type']).toBe('application/json');
    expect(body.subscription).toBe(`projects/${PROJECT}/subscriptions/pushed-sub`);
    expect(Buffer.from(body.message.data, 'base64').toString()).toBe('hello push');
    expect(body.message.attributes).toEqual({ kind: 'test' });
    expect(body.message['messageId']).toBe(id);
    expect(body.message['message_id']).toBe(id);
    expect(Date.parse(body.message['publishTime'] as string)).not.toBeNaN();
    expect(body.message['publish_time']).toBe(body.message['publishTime']);
    expect(body.deliveryAttempt).toBeUndefined();
    await pollUntil(() => (h.server.outstanding('pushed-sub').length === 0 ? true : undefined), {
      describe: 'ack',
      ...WAIT,
    });
    expect(received).toHaveLength(1);
  });

  it('retries a non-2xx answer after the backoff, with deliveryAttempt when a dead-letter policy is set', async () => {
    answer = (n) => (n < 2 ? 503 : 200);
    const [topic] = await h.pubsub.createTopic('flaky');
    const [dead] = await h.pubsub.createTopic('flaky-dead');
    await topic.createSubscription('flaky-sub', {
      pushConfig: { pushEndpoint: url },
      deadLetterPolicy: { deadLetterTopic: dead.name, maxDeliveryAttempts: 5 },
      retryPolicy: { minimumBackoff: { nanos: 300_000_000 }, maximumBackoff: { seconds: 1 } },
    });
    const id = await topic.publishMessage({ data: Buffer.from('retry me') });

    await pollUntil(() => received[2], { describe: 'third attempt', ...WAIT });
    await pollUntil(() => (h.server.outstanding('flaky-sub').length === 0 ? true : undefined), {
      describe: 'ack',
      ...WAIT,
    });
    expect(received.map((r) => r.body.message['messageId'])).toEqual([id, id, id]);
    expect(received.map((r) => r.body.deliveryAttempt)).toEqual([1, 2, 3]);
    // Exponential backoff: at least 300 ms, then at least 600 ms, between attempts.
    expect(received[1]!.at - received[0]!.at).toBeGreaterThanOrEqual(280);
    expect(received[2]!.at - received[1]!.at).toBeGreaterThanOrEqual(580);
  });

  it('treats an endpoint that does not answer within the ack deadline as a failure and retries', async () => {
    answer = (n) => (n === 0 ? 'hang' : 200);
    const [topic] = await h.pubsub.createTopic('slow-push');
    await topic.createSubscription('slow-push-sub', {
      pushConfig: { pushEndpoint: url },
      ackDeadlineSeconds: 1,
    });
    await topic.publishMessage({ data: Buffer.from('patience') });
    await pollUntil(() => received[1], { describe: 'second attempt', ...WAIT });
    await pollUntil(() => (h.server.outstanding('slow-push-sub').length === 0 ? true : undefined), {
      describe: 'ack',
      ...WAIT,
    });
    expect(received[1]!.at - received[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it('switches a pull subscription to push with ModifyPushConfig', async () => {
    const [topic] = await h.pubsub.createTopic('switch');
    const [subscription] = await topic.createSubscription('switch-sub');
    await topic.publishMessage({ data: Buffer.from('waiting') });
    expect(received).toHaveLength(0);
    await subscription.modifyPushConfig({ pushEndpoint: url });
    const { body } = await pollUntil(() => received[0], { describe: 'push', ...WAIT });
    expect(Buffer.from(body.message.data, 'base64').toString()).toBe('waiting');
  });
});

describe('push authentication (oidcToken)', () => {
  it('sends no Authorization header when the subscription has no oidcToken', async () => {
    const [topic] = await h.pubsub.createTopic('plain');
    await topic.createSubscription('plain-sub', { pushConfig: { pushEndpoint: url } });
    await topic.publishMessage({ data: Buffer.from('x') });
    const { headers } = await pollUntil(() => received[0], { describe: 'push', ...WAIT });
    expect(headers.authorization).toBeUndefined();
  });

  it('signs a one-hour RS256 ID token of the service account for the audience (default: the endpoint)', async () => {
    const [topic] = await h.pubsub.createTopic('signed');
    const oidcToken = { serviceAccountEmail: 'push@p.iam.gserviceaccount.com', audience: 'bqx-uploader' };
    await topic.createSubscription('signed-sub', { pushConfig: { pushEndpoint: url, oidcToken } });
    await topic.createSubscription('endpoint-aud-sub', {
      pushConfig: { pushEndpoint: url, oidcToken: { serviceAccountEmail: oidcToken.serviceAccountEmail } },
    });
    await topic.publishMessage({ data: Buffer.from('x') });
    await pollUntil(() => received[1], { describe: 'two pushes', ...WAIT });

    const served = await issuer.serveCertificates();
    const certificates = (await fetch(served.url).then((response) => response.json())) as Record<
      string,
      string
    >;
    await served.stop();
    const audiences = received.map(({ headers }) => {
      const [header = '', payload = '', signature = ''] = (headers.authorization ?? '')
        .replace(/^Bearer /, '')
        .split('.');
      const { kid, alg } = JSON.parse(Buffer.from(header, 'base64url').toString()) as Record<string, string>;
      expect(alg).toBe('RS256');
      const key = createPublicKey(certificates[kid ?? ''] ?? '');
      const valid = createVerify('RSA-SHA256')
        .update(`${header}.${payload}`)
        .verify(key, Buffer.from(signature, 'base64url'));
      expect(valid).toBe(true);
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
      expect(claims).toMatchObject({
        iss: 'https://accounts.google.com',
        email: oidcToken.serviceAccountEmail,
        email_verified: true,
      });
      expect(Number(claims['exp']) - Number(claims['iat'])).toBe(3600);
      return claims['aud'];
    });
    expect(audiences.sort()).toEqual(['bqx-uploader', url].sort());
  });
});
