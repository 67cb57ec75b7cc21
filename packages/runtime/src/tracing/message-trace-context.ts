import { context, ROOT_CONTEXT } from '@opentelemetry/api';
import type { Context, TextMapGetter, TextMapSetter } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

import type { MessageAttributes } from '../messaging/handler.js';

/**
 * The W3C trace context rides in message attributes under the names @google-cloud/pubsub's own
 * OpenTelemetry support uses (`googclient_traceparent`, `googclient_tracestate`), so a consumer
 * with the client's tracing on reads the same trace.
 */
export const TRACE_ATTRIBUTE_PREFIX = 'googclient_';

const propagator = new W3CTraceContextPropagator();

const setter: TextMapSetter<Record<string, string>> = {
  set: (carrier, key, value) => {
    carrier[`${TRACE_ATTRIBUTE_PREFIX}${key}`] = value;
  },
};

const getter: TextMapGetter<MessageAttributes> = {
  keys: (carrier) =>
    Object.keys(carrier)
      .filter((key) => key.startsWith(TRACE_ATTRIBUTE_PREFIX))
      .map((key) => key.slice(TRACE_ATTRIBUTE_PREFIX.length)),
  get: (carrier, key) => carrier[`${TRACE_ATTRIBUTE_PREFIX}${key}`],
};

/** The attributes plus the active span's `googclient_traceparent`/`tracestate` (unchanged when no span is active). */
export function injectTraceContext(
  attributes: MessageAttributes,
  from: Context = context.active(),
): Record<string, string> {
  const result: Record<string, string> = { ...attributes };
  propagator.inject(from, result, setter);
  return result;
}

/**
 * The remote parent carried in a message's attributes. A missing or malformed `traceparent` gives
 * the root context: the message starts a new trace and is processed as usual.
 */
export function extractTraceContext(attributes: MessageAttributes): Context {
  return propagator.extract(ROOT_CONTEXT, attributes, getter);
}
