import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EventEmitter } from 'node:events';
import { PubSub } from '@google-cloud/pubsub';
import type { Message } from '@google-cloud/pubsub';

import { clientOptions, IdTokenIssuer, startLocalPubSub } from '@bq-sftp-export/local-pubsub';
import type { CertificateServer, LocalPubSub } from '@bq-sftp-export/local-pubsub';

import { Container } from 'inversify';
import { pollUntil } from '@bq-sftp-export/testing';
import { LogCapture } from '../logging/log-capture.js';
import { Logger } from '../logging/logger.js';
import { Outcome } from '../messaging/handler.js';
import { WAIT } from '../messaging/testing/wait-for.js';
import { runMessageService } from './run-message-service.js';
import { PUSH_PATH } from './start-transport.js';
import type { RunningService, ServiceProcess } from './run-message-service.js';

class FakeProcess extends EventEmitter implements ServiceProcess {
  readonly exits: number[] = [];
  exit(code: number): void {
    this.exits.push(code);
  }
}

const PUSH_ACCOUNT = 'bqx-push-invoker@push-test.iam.gserviceaccount.com';
const AUDIENCE = 'bqx-worker';
/** Google's stand-in: the local Pub/Sub signs push tokens with it; the service fetches its keys. */
const google = new IdTokenIssuer();
let certificates: CertificateServer;
let server: LocalPubSub;
let pubsub: PubSub;

beforeAll(async () => {
  certificates = await google.serveCertificates();
  server = await startLocalPubSub({ port: 0, pushTokens: google });
  pubsub = new PubSub(clientOptions(server.host, 'push-test'));
  await pubsub.createTopic('jobs');
  await pubsub.createTopic('jobs.dead-letter');
  await pubsub.createSubscription('jobs.dead-letter', 'ops.jobs.dead-letter');
});

afterAll(async () => {
  await pubsub.close();
  await server.stop();
  await certificates.stop();
});

describe('runMessageService with TRANSPORT=push', () => {
  it('serves /pubsub/push for a real push subscription with an OIDC token: handled messages ack, malformed ones dead-letter; a forged request is refused', async () => {
    const handled: string[] = [];
    const logs = new LogCapture();
    const host = new FakeProcess();
    const service = (await runMessageService<string>({
      serviceName: 'push-fixture',
      environment: {
        TRANSPORT: 'push',
        PORT: '0',
        SUBSCRIPTION: 'worker.jobs',
        PUSH_AUDIENCE: AUDIENCE,
        PUSH_SERVICE_ACCOUNT: PUSH_ACCOUNT,
      },
      pushCertificatesUrl: certificates.url,
      consumes: { subscription: 'default.jobs', deadLetterTopic: 'jobs.dead-letter' },
      decode: (data) => {
        const text = data.toString('utf8');
        if (text === 'malformed') throw new Error('not a job');
        return text;
      },
      compose: ({ runtimeModule }) => {
        const container = new Container();
        container.load(runtimeModule);
        const logger = container.get(Logger);
        return {
          pubsub,
          handler: (text) => {
            handled.push(text);
            logger.info('job done');
            return Promise.resolve(Outcome.ack());
          },
        };
      },
      process: host,
      logDestination: logs,
    })) as RunningService;
    expect(service.settings.subscription).toBe('worker.jobs');

    await pubsub.createSubscription('jobs', 'worker.jobs', {
      pushConfig: {
        pushEndpoint: `http://127.0.0.1:${service.port}${PUSH_PATH}`,
        oidcToken: { serviceAccountEmail: PUSH_ACCOUNT, audience: AUDIENCE },
      },
    });
    // The report's attack: anyone who can reach the port POSTs a delivery of their own.
    const forged = await fetch(`http://127.0.0.1:${service.port}${PUSH_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        message: {
          data: Buffer.from('forged').toString('base64'),
          messageId: 'f-1',
          publishTime: '2026-01-01T00:00:00Z',
        },
        subscription: 'projects/push-test/subscriptions/worker.jobs',
      }),
    });
    expect(forged.status).toBe(401);
    const deadLetters: Message[] = [];
    const deadLetterSubscription = pubsub.subscription('ops.jobs.dead-letter');
    deadLetterSubscription.on('message', (message: Message) => {
      deadLetters.push(message);
      message.ack();
    });

    await pubsub.topic('jobs').publishMessage({ data: Buffer.from('job-1') });
    const malformedId = await pubsub.topic('jobs').publishMessage({ data: Buffer.from('malformed') });
    await pollUntil(() => (deadLetters.length > 0 ? true : undefined), {
      describe: 'the dead letter',
      ...WAIT,
    });
    await pollUntil(() => (server.outstanding('worker.jobs').length === 0 ? true : undefined), {
      describe: 'both acks',
      ...WAIT,
    });
    await deadLetterSubscription.close();

    expect(handled).toEqual(['job-1']);
    expect(logs.entries()).toContainEqual(
      expect.objectContaining({ message: 'push request refused', reason: 'no Authorization header' }),
    );
    expect(deadLetters[0]?.attributes).toMatchObject({
      deadLetterCode: 'MESSAGE_MALFORMED',
      sourceSubscription: 'worker.jobs',
      sourceMessageId: malformedId,
    });
    expect(logs.entries().find((entry) => entry['message'] === 'job done')).toMatchObject({
      serviceName: 'push-fixture',
    });

    host.emit('SIGTERM');
    await pollUntil(() => (host.exits.length > 0 ? host.exits : undefined), {
      describe: 'the exit',
      ...WAIT,
    });
    expect(host.exits).toEqual([0]);
    await service.stop();
  });

  it('refuses to start in push mode without PUSH_AUDIENCE and PUSH_SERVICE_ACCOUNT (exit 1, naming them)', async () => {
    const logs = new LogCapture();
    const host = new FakeProcess();
    let composed = false;
    const service = await runMessageService<string>({
      serviceName: 'push-fixture',
      environment: { TRANSPORT: 'push', PORT: '0' },
      consumes: { subscription: 'worker.jobs', deadLetterTopic: 'jobs.dead-letter' },
      decode: (data) => data.toString('utf8'),
      compose: () => {
        composed = true;
        return { pubsub, handler: () => Promise.resolve(Outcome.ack()) };
      },
      process: host,
      logDestination: logs,
    });
    expect(service).toBeUndefined();
    expect(composed).toBe(false);
    expect(host.exits).toEqual([1]);
    const fatal = logs.entries().find((entry) => entry['severity'] === 'CRITICAL');
    expect(fatal?.['message']).toContain('PUSH_AUDIENCE: required with TRANSPORT=push');
    expect(fatal?.['message']).toContain('PUSH_SERVICE_ACCOUNT: required with TRANSPORT=push');
  });
});
