import { AppError } from '../../errors/app-error.js';
import { createLogger } from '../../logging/create-logger.js';
import { LogCapture } from '../../logging/log-capture.js';
import type { MessageHandler } from '../handler.js';
import { MessageProcessor } from '../message-processor.js';
import { allowUnauthenticatedPush } from '../push/push-authenticator.js';
import type { PushServerOptions } from '../push/push-server.js';
import { PushServer } from '../push/push-server.js';
import { RecordingDeadLetterPublisher } from './recording-dead-letter-publisher.js';

/** What the push-server tests deliver: the handler does what `action` says. */
export interface Job {
  readonly action: 'ack' | 'retry' | 'fail' | 'permanent' | 'slow';
}

/** Push servers a test started; stop them in `afterEach`. */
export const running: Array<PushServer<Job>> = [];

/** A `PushServer` on a free loopback port at `/push` (no authentication unless `options` has some). */
export async function startPushServer(
  handler: MessageHandler<Job>,
  options: Partial<PushServerOptions> = {},
) {
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
  const server = new PushServer(processor, {
    logger,
    port: 0,
    host: '127.0.0.1',
    path: '/push',
    authenticator: allowUnauthenticatedPush,
    ...options,
  });
  running.push(server);
  const port = await server.start();
  return { server, deadLetters, capture, base: `http://127.0.0.1:${port}` };
}

/** A Pub/Sub push body. */
export function envelope(data: string, attributes: Record<string, string> = {}, messageId = 'm-1'): string {
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

/** POSTs `body` to the server's `/push`. */
export function post(base: string, body: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${base}/push`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', ...headers },
  });
}
