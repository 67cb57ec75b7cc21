import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EventEmitter } from 'node:events';
import { PubSub } from '@google-cloud/pubsub';
import type { Message } from '@google-cloud/pubsub';

import { clientOptions, startLocalPubSub } from '@bq-sftp-export/local-pubsub';
import type { LocalPubSub } from '@bq-sftp-export/local-pubsub';

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

let server: LocalPubSub;
let pubsub: PubSub;

beforeAll(async () => {
  server = await startLocalPubSub({ port: 0 });
  pubsub = new PubSub(clientOptions(server.host, 'push-test'));
  await pubsub.createTopic('jobs');
  await pubsub.createTopic('jobs.dead-letter');
  await pubsub.createSubscription('jobs.dead-letter', 'ops.jobs.dead-letter');
});

afterAll(async () => {
  await pubsub.close();
  await server.stop();
});

describe('runMessageService with TRANSPORT=push', () => {
  it('serves /pubsub/push for a real push subscription: handled messages ack, malformed ones dead-letter', async () => {
    const handled: string[] = [];
    const logs = new LogCapture();
    const host = new FakeProcess();
    const service = (await runMessageService<string>({
      serviceName: 'push-fixture',
      environment: { TRANSPORT: 'push', PORT: '0', SUBSCRIPTION: 'worker.jobs' },
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
      pushConfig: { pushEndpoint: `http://127.0.0.1:${service.port}${PUSH_PATH}` },
    });
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
});
