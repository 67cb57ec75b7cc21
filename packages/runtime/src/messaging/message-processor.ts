import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';

import { isAppError, isRetryable } from '../errors/app-error.js';
import { extractTraceContext } from '../tracing/message-trace-context.js';
import { TRACER_NAME } from '../tracing/with-span.js';
import type { LogFields, Logger } from '../logging/logger.js';
import { serializeError } from '../logging/safe-log-value.js';
import { redactString } from '../logging/secret-patterns.js';
import { DeadLetterAttribute } from './dead-letter-publisher.js';
import type { DeadLetterPublisher } from './dead-letter-publisher.js';
import type { HandlerOutcome, MessageDecoder, MessageHandler } from './handler.js';
import type { ProcessingResult, ReceivedMessage } from './received-message.js';

export interface MessageProcessorOptions<T> {
  /** The subscription's name, written to dead letters as `sourceSubscription` and to logs. */
  readonly subscription: string;
  readonly decode: MessageDecoder<T>;
  readonly handler: MessageHandler<T>;
  readonly deadLetters: DeadLetterPublisher;
  readonly logger: Logger;
  /** Attribute keys safe to log (never payload content). Default: event type, schema version, correlation id. */
  readonly loggedAttributes?: readonly string[];
}

export const DEFAULT_LOGGED_ATTRIBUTES: readonly string[] = ['eventType', 'schemaVersion', 'correlationId'];

/**
 * Pub/Sub attribute values are limited to 1024 UTF-8 bytes; reasons are cut below, in characters
 * and in bytes (500 characters of CJK text are 1500 bytes), so the dead-letter publish is accepted.
 */
const maxReasonLength = 500;
const maxReasonBytes = 1000;

/** What a logged attribute value may look like: an id or a type name, never free text. */
const loggableAttributeValue = /^[A-Za-z0-9._:@-]{1,128}$/;

/**
 * Runs one delivery through decode and handler and decides ack or nack, for either transport.
 * Dead letters are published by the runtime itself and acked only after the publish succeeded;
 * a failed publish nacks, so nothing is lost. Payloads are never logged, only ids and sizes.
 */
export class MessageProcessor<T> {
  readonly subscription: string;
  readonly #options: MessageProcessorOptions<T>;
  readonly #loggedAttributes: readonly string[];

  constructor(options: MessageProcessorOptions<T>) {
    this.#options = options;
    this.subscription = options.subscription;
    this.#loggedAttributes = options.loggedAttributes ?? DEFAULT_LOGGED_ATTRIBUTES;
  }

  /**
   * `logBindings` adds fields to this delivery's log lines, e.g. `traceFields(...)` of the push
   * request. `abandoned` is aborted once the transport has nacked the delivery at shutdown: a
   * handler that finishes later changes nothing (no dead letter is published for it).
   */
  async process(
    message: ReceivedMessage,
    signal: AbortSignal,
    logBindings: LogFields = {},
    abandoned?: AbortSignal,
  ): Promise<ProcessingResult> {
    // The delivery's span continues the publisher's trace (`googclient_traceparent`); without
    // one, or with a malformed one, it starts a new trace. Tracing off: a no-op span.
    const parent = extractTraceContext(message.attributes);
    const span = trace.getTracer(TRACER_NAME).startSpan(
      `${this.subscription} process`,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          'messaging.system': 'gcp_pubsub',
          'messaging.operation.type': 'process',
          'messaging.destination.subscription.name': this.subscription,
          'messaging.message.id': message.id,
          'messaging.gcp_pubsub.message.delivery_attempt': message.deliveryAttempt,
          'messaging.message.body.size': message.data.length,
          ...this.#safeAttributes(message),
        },
      },
      parent,
    );
    try {
      const result = await context.with(trace.setSpan(parent, span), () =>
        this.#processInSpan(message, signal, logBindings, abandoned),
      );
      span.setAttribute('bqx.outcome', result.outcome);
      if (result.settlement === 'nack')
        span.setStatus({ code: SpanStatusCode.ERROR, message: result.outcome });
      return result;
    } finally {
      span.end();
    }
  }

  async #processInSpan(
    message: ReceivedMessage,
    signal: AbortSignal,
    logBindings: LogFields,
    abandoned: AbortSignal | undefined,
  ): Promise<ProcessingResult> {
    const logger = this.#options.logger.child({
      ...logBindings,
      subscription: this.subscription,
      messageId: message.id,
      deliveryAttempt: message.deliveryAttempt,
    });
    const outcome = await this.#outcomeOf(message, signal, logger);
    const facts = { sizeBytes: message.data.length, attributes: this.#safeAttributes(message) };
    if (abandoned?.aborted === true) {
      logger.warn(
        'message finished after it was abandoned at shutdown; it was nacked and will be redelivered',
        {
          ...facts,
          outcome: 'abandoned',
          handlerOutcome: outcome.kind,
        },
      );
      return { settlement: 'nack', outcome: 'abandoned' };
    }
    switch (outcome.kind) {
      case 'ack':
        logger.info('message handled', { ...facts, outcome: 'acked' });
        return { settlement: 'ack', outcome: 'acked' };
      case 'retry':
        logger.warn('message will be retried', { ...facts, outcome: 'retried', reason: outcome.reason });
        return { settlement: 'nack', outcome: 'retried' };
      case 'deadLetter':
        return this.#deadLetter(message, outcome, logger, facts);
    }
  }

  async #outcomeOf(message: ReceivedMessage, signal: AbortSignal, logger: Logger): Promise<HandlerOutcome> {
    let decoded: T;
    try {
      decoded = this.#options.decode(message.data, message.attributes);
    } catch (error) {
      // Decoding is pure: unless the decoder says otherwise, trying again cannot help.
      if (isAppError(error) && error.retryable) return this.#retryAfter(error, logger);
      return {
        kind: 'deadLetter',
        code: isAppError(error) ? error.code : 'MESSAGE_MALFORMED',
        reason: describe(error),
      };
    }
    try {
      return await this.#options.handler(decoded, {
        messageId: message.id,
        attributes: message.attributes,
        deliveryAttempt: message.deliveryAttempt,
        publishTime: message.publishTime,
        signal,
        logger,
      });
    } catch (error) {
      if (isRetryable(error)) return this.#retryAfter(error, logger);
      return {
        kind: 'deadLetter',
        code: isAppError(error) ? error.code : 'HANDLER_FAILED',
        reason: describe(error),
      };
    }
  }

  #retryAfter(error: unknown, logger: Logger): HandlerOutcome {
    logger.warn('message handling failed', { err: serializeError(error) });
    return { kind: 'retry', reason: describe(error) };
  }

  async #deadLetter(
    message: ReceivedMessage,
    outcome: { readonly code: string; readonly reason: string },
    logger: Logger,
    facts: Record<string, unknown>,
  ): Promise<ProcessingResult> {
    const reason = truncate(redactString(outcome.reason));
    try {
      await this.#options.deadLetters.publish({
        data: message.data,
        attributes: {
          ...message.attributes,
          [DeadLetterAttribute.reason]: reason,
          [DeadLetterAttribute.code]: outcome.code,
          [DeadLetterAttribute.sourceSubscription]: this.subscription,
          [DeadLetterAttribute.sourceMessageId]: message.id,
        },
      });
    } catch (error) {
      logger.error('dead-lettering failed; message will be redelivered', {
        ...facts,
        outcome: 'deadLetterFailed',
        code: outcome.code,
        reason,
        err: serializeError(error),
      });
      return { settlement: 'nack', outcome: 'deadLetterFailed' };
    }
    logger.warn('message dead-lettered', { ...facts, outcome: 'deadLettered', code: outcome.code, reason });
    return { settlement: 'ack', outcome: 'deadLettered' };
  }

  /**
   * The logged attributes, each only when it looks like an id or a type name: anyone who can
   * publish chooses attribute values, so anything else is logged as its length only.
   */
  #safeAttributes(message: ReceivedMessage): Record<string, string> {
    const result: Record<string, string> = {};
    for (const key of this.#loggedAttributes) {
      const value = message.attributes[key];
      if (value === undefined) continue;
      result[key] = loggableAttributeValue.test(value) ? value : `[not logged: ${value.length} characters]`;
    }
    return result;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** At most `maxReasonLength` code points and `maxReasonBytes` bytes (plus the `…` that marks a cut). */
function truncate(text: string): string {
  if (text.length <= maxReasonLength && Buffer.byteLength(text) <= maxReasonBytes) return text;
  const kept: string[] = [];
  let bytes = 0;
  for (const point of text) {
    bytes += Buffer.byteLength(point);
    if (kept.length === maxReasonLength || bytes > maxReasonBytes) break;
    kept.push(point);
  }
  return kept.length === [...text].length ? text : `${kept.join('')}…`;
}
