import { describe, expect, it } from '@jest/globals';
import { AppError } from '../errors/app-error.js';
import { createLogger } from '../logging/create-logger.js';
import { LogCapture } from '../logging/log-capture.js';
import type { MessageDecoder, MessageHandler } from './handler.js';
import { Outcome } from './handler.js';
import { MessageProcessor } from './message-processor.js';
import type { ReceivedMessage } from './received-message.js';
import { RecordingDeadLetterPublisher } from './testing/recording-dead-letter-publisher.js';

interface Job {
  readonly file: string;
}

const decodeJob: MessageDecoder<Job> = (data) => {
  const value = JSON.parse(data.toString('utf8')) as { file?: unknown };
  if (typeof value.file !== 'string') {
    throw new AppError('file: expected a string', { code: 'MESSAGE_INVALID', retryable: false });
  }
  return { file: value.file };
};

const secretPayload = '{"file":"rows.csv","row":"alice,4111111111111111"}';

function received(
  data: string,
  attributes: Record<string, string> = { eventType: 'file.ready' },
): ReceivedMessage {
  return { id: 'm-1', data: Buffer.from(data), attributes, deliveryAttempt: 2, publishTime: new Date() };
}

function setUp(handler: MessageHandler<Job>) {
  const capture = new LogCapture();
  const deadLetters = new RecordingDeadLetterPublisher();
  const processor = new MessageProcessor<Job>({
    subscription: 'uploader-file-ready',
    decode: decodeJob,
    handler,
    deadLetters,
    logger: createLogger({ level: 'debug', name: 'test', destination: capture }),
  });
  return { capture, deadLetters, processor };
}

const signal = new AbortController().signal;

describe('MessageProcessor', () => {
  it('acks what the handler acks, giving it the decoded message and the delivery facts', async () => {
    const seen: unknown[] = [];
    const { processor, capture } = setUp((job, context) => {
      seen.push(job, context.messageId, context.deliveryAttempt, context.attributes['eventType']);
      context.logger.info('working');
      return Promise.resolve(Outcome.ack());
    });
    await expect(processor.process(received(secretPayload), signal)).resolves.toEqual({
      settlement: 'ack',
      outcome: 'acked',
    });
    expect(seen).toEqual([{ file: 'rows.csv' }, 'm-1', 2, 'file.ready']);
    expect(capture.entries()[0]).toMatchObject({
      message: 'working',
      messageId: 'm-1',
      subscription: 'uploader-file-ready',
    });
    expect(capture.entries()[1]).toMatchObject({
      outcome: 'acked',
      sizeBytes: secretPayload.length,
      attributes: { eventType: 'file.ready' },
    });
    expect(capture.text()).not.toContain('4111111111111111');
  });

  it('logs an attribute that is not an id or a type name as its length only', async () => {
    const { processor, capture } = setUp(() => Promise.resolve(Outcome.ack()));
    const eventType = 'alice,4111111111111111 '.repeat(100);
    await processor.process(received(secretPayload, { eventType, correlationId: 'run-1' }), signal);
    expect(capture.entries()[0]).toMatchObject({
      attributes: { eventType: `[not logged: ${eventType.length} characters]`, correlationId: 'run-1' },
    });
    expect(capture.text()).not.toContain('4111111111111111');
  });

  it('nacks a retry outcome and a thrown retryable or unknown error', async () => {
    for (const handler of [
      () => Promise.resolve(Outcome.retry('partner busy')),
      () => Promise.reject(new AppError('timeout', { code: 'SFTP_TIMEOUT', retryable: true })),
      () => Promise.reject(new TypeError('surprise')),
    ]) {
      const { processor, deadLetters } = setUp(handler);
      await expect(processor.process(received(secretPayload), signal)).resolves.toEqual({
        settlement: 'nack',
        outcome: 'retried',
      });
      expect(deadLetters.published).toHaveLength(0);
    }
  });

  it('dead-letters malformed input with the original data and attributes, then acks', async () => {
    let called = false;
    const { processor, deadLetters, capture } = setUp(() => {
      called = true;
      return Promise.resolve(Outcome.ack());
    });
    for (const [data, code] of [
      ['{"file": 3, "row":"alice,4111111111111111"}', 'MESSAGE_INVALID'],
      ['not json at all 4111111111111111', 'MESSAGE_MALFORMED'],
    ] as const) {
      await expect(
        processor.process(received(data, { eventType: 'file.ready', correlationId: 'c-9' }), signal),
      ).resolves.toEqual({
        settlement: 'ack',
        outcome: 'deadLettered',
      });
      expect(deadLetters.published.at(-1)?.data.toString()).toBe(data);
      expect(deadLetters.published.at(-1)?.attributes).toMatchObject({
        eventType: 'file.ready',
        correlationId: 'c-9',
        deadLetterCode: code,
        sourceSubscription: 'uploader-file-ready',
        sourceMessageId: 'm-1',
      });
      expect(deadLetters.published.at(-1)?.attributes['deadLetterReason']).toEqual(expect.any(String));
    }
    expect(called).toBe(false);
    expect(capture.text()).not.toContain('4111111111111111');
  });

  it('dead-letters a permanent failure and a deadLetter outcome with their code and reason', async () => {
    const permanent = setUp(() =>
      Promise.reject(new AppError('host key mismatch', { code: 'SFTP_HOST_KEY_MISMATCH', retryable: false })),
    );
    await expect(permanent.processor.process(received(secretPayload), signal)).resolves.toMatchObject({
      outcome: 'deadLettered',
    });
    expect(permanent.deadLetters.published[0]?.attributes).toMatchObject({
      deadLetterCode: 'SFTP_HOST_KEY_MISMATCH',
      deadLetterReason: 'host key mismatch',
    });

    const explicit = setUp(() =>
      Promise.resolve(Outcome.deadLetter('EXPORT_UNKNOWN', `no export "x" password=hunter2`)),
    );
    await explicit.processor.process(received(secretPayload), signal);
    expect(explicit.deadLetters.published[0]?.attributes).toMatchObject({
      deadLetterCode: 'EXPORT_UNKNOWN',
      deadLetterReason: 'no export "x" password=[REDACTED]',
    });
  });

  it('cuts a long reason to fit a Pub/Sub attribute value (1024 bytes), in characters and in bytes', async () => {
    for (const [unit, keptLength] of [
      ['x', 500],
      ['日', 333],
      ['😀', 250],
    ] as const) {
      const { processor, deadLetters } = setUp(() =>
        Promise.resolve(Outcome.deadLetter('EXPORT_UNKNOWN', unit.repeat(2000))),
      );
      await processor.process(received(secretPayload), signal);
      const reason = deadLetters.published[0]?.attributes['deadLetterReason'] ?? '';
      expect(reason).toBe(`${unit.repeat(keptLength)}…`);
      expect(Buffer.byteLength(reason)).toBeLessThanOrEqual(1024);
    }
  });

  it('nacks when the dead-letter publish fails, so the message is never lost', async () => {
    const { processor, deadLetters, capture } = setUp(() => Promise.resolve(Outcome.ack()));
    deadLetters.failWith = new Error('topic unavailable');
    await expect(processor.process(received('{}'), signal)).resolves.toEqual({
      settlement: 'nack',
      outcome: 'deadLetterFailed',
    });
    expect(capture.entries().at(-1)).toMatchObject({
      severity: 'ERROR',
      outcome: 'deadLetterFailed',
      code: 'MESSAGE_INVALID',
    });
  });

  it('passes the abort signal to the handler', async () => {
    const controller = new AbortController();
    const { processor } = setUp((_job, context) => {
      controller.abort();
      return Promise.resolve(context.signal.aborted ? Outcome.retry('aborted') : Outcome.ack());
    });
    await expect(processor.process(received(secretPayload), controller.signal)).resolves.toMatchObject({
      settlement: 'nack',
    });
  });

  it('ignores what a handler returns after its delivery was abandoned: nack, no dead letter, no "acked" log', async () => {
    const abandoned = new AbortController();
    const { processor, deadLetters, capture } = setUp(() => {
      abandoned.abort();
      return Promise.resolve(Outcome.deadLetter('PERMANENT', 'late'));
    });
    await expect(processor.process(received(secretPayload), signal, {}, abandoned.signal)).resolves.toEqual({
      settlement: 'nack',
      outcome: 'abandoned',
    });
    expect(deadLetters.published).toEqual([]);
    expect(capture.entries().map((entry) => entry['outcome'])).toEqual(['abandoned']);
    expect(capture.entries()[0]).toMatchObject({ handlerOutcome: 'deadLetter', severity: 'WARNING' });
  });
});
