import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { trace } from '@opentelemetry/api';

import { createLogger } from '../logging/create-logger.js';
import { LogCapture } from '../logging/log-capture.js';
import { Outcome } from '../messaging/handler.js';
import { MessageProcessor } from '../messaging/message-processor.js';
import { RecordingDeadLetterPublisher } from '../messaging/testing/recording-dead-letter-publisher.js';
import type { SpanRecord } from './json-lines-span-exporter.js';
import { extractTraceContext, injectTraceContext } from './message-trace-context.js';
import { startTracing } from './start-tracing.js';
import type { StartedTracing } from './start-tracing.js';
import { withSpan } from './with-span.js';

const directory = mkdtempSync(join(tmpdir(), 'bqx-tracing-'));
const file = join(directory, 'traces.jsonl');
let tracing: StartedTracing;

beforeAll(() => {
  tracing = startTracing({ exporter: 'file', file, sampleRatio: 1 }, { serviceName: 'unit' });
});

afterAll(async () => {
  await tracing.shutdown();
  rmSync(directory, { recursive: true, force: true });
});

function spans(): SpanRecord[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as SpanRecord);
}

function processorWith(capture: LogCapture, deadLetters = new RecordingDeadLetterPublisher()) {
  const logger = createLogger({ level: 'info', name: 'unit', destination: capture, traceProjectId: 'p-1' });
  return new MessageProcessor<string>({
    subscription: 'unit-sub',
    decode: (data) => data.toString('utf8'),
    handler: (_text, context) => {
      context.logger.info('inside the handler');
      return Promise.resolve(Outcome.ack());
    },
    deadLetters,
    logger,
  });
}

const message = (attributes: Record<string, string>, id: string) => ({
  id,
  data: Buffer.from('payload'),
  attributes,
  deliveryAttempt: 1,
  publishTime: new Date(),
});

describe('trace context in message attributes', () => {
  it('adds nothing when no span is active', () => {
    expect(injectTraceContext({ eventType: 'file.ready' })).toEqual({ eventType: 'file.ready' });
  });

  it('carries the active span as googclient_traceparent and reads it back', async () => {
    await withSpan('publisher', {}, (span) => {
      const { traceId, spanId } = span.spanContext();
      const attributes = injectTraceContext({ eventType: 'file.ready' });
      expect(attributes).toEqual({
        eventType: 'file.ready',
        googclient_traceparent: `00-${traceId}-${spanId}-01`,
      });
      expect(trace.getSpanContext(extractTraceContext(attributes))).toMatchObject({
        traceId,
        spanId,
        isRemote: true,
      });
      return Promise.resolve();
    });
  });

  it('processes a delivery in a child span of the publisher, with the trace on its log lines', async () => {
    const capture = new LogCapture();
    const attributes = await withSpan('publisher', {}, () => Promise.resolve(injectTraceContext({})));
    const [, traceId = '', parentSpanId = ''] = (attributes['googclient_traceparent'] ?? '').split('-');

    await expect(
      processorWith(capture).process(message(attributes, 'm-child'), new AbortController().signal),
    ).resolves.toMatchObject({
      settlement: 'ack',
    });

    const processed = spans().find((span) => span.attributes['messaging.message.id'] === 'm-child');
    expect(processed).toMatchObject({ traceId, parentSpanId, name: 'unit-sub process', serviceName: 'unit' });
    const lines = capture.entries();
    expect(lines.map((line) => line['message'])).toEqual(['inside the handler', 'message handled']);
    for (const line of lines) {
      expect(line).toMatchObject({
        'logging.googleapis.com/trace': `projects/p-1/traces/${traceId}`,
        'logging.googleapis.com/spanId': processed?.spanId,
        'logging.googleapis.com/trace_sampled': true,
      });
    }
  });

  it.each([
    ['missing', {}],
    ['malformed', { googclient_traceparent: '00-not-a-trace-01' }],
    ['all-zero', { googclient_traceparent: `00-${'0'.repeat(32)}-${'0'.repeat(16)}-01` }],
  ])('starts a new trace for a %s traceparent and still handles the message', async (kind, attributes) => {
    const capture = new LogCapture();
    const deadLetters = new RecordingDeadLetterPublisher();
    const id = `m-${kind}`;

    await expect(
      processorWith(capture, deadLetters).process(message(attributes, id), new AbortController().signal),
    ).resolves.toEqual({ settlement: 'ack', outcome: 'acked' });

    const processed = spans().find((span) => span.attributes['messaging.message.id'] === id);
    expect(processed?.parentSpanId).toBeUndefined();
    expect(processed?.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(processed?.traceId).not.toBe('0'.repeat(32));
    expect(deadLetters.published).toEqual([]);
    expect(capture.entries()[0]?.['logging.googleapis.com/trace']).toBe(
      `projects/p-1/traces/${processed?.traceId}`,
    );
  });

  it('writes no trace fields outside a span', () => {
    const capture = new LogCapture();
    createLogger({ level: 'info', name: 'unit', destination: capture, traceProjectId: 'p-1' }).info('idle');
    expect(Object.keys(capture.entries()[0] ?? {})).not.toContain('logging.googleapis.com/trace');
  });
});
