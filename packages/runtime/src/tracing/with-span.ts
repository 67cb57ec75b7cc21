import { SpanStatusCode, trace } from '@opentelemetry/api';
import type { Span, SpanOptions } from '@opentelemetry/api';

/** The tracer every service step uses; a no-op until `startTracing` registered a provider. */
export const TRACER_NAME = '@bq-sftp-export/runtime';

/**
 * Runs `work` in a child span of the active one, ends it and records a thrown error (its type and
 * type only). `options.attributes` are ids, names, counts and sizes: never row values or secrets.
 */
export async function withSpan<T>(
  name: string,
  options: SpanOptions,
  work: (span: Span) => Promise<T>,
): Promise<T> {
  return trace.getTracer(TRACER_NAME).startActiveSpan(name, options, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.name : 'error' });
      throw error;
    } finally {
      span.end();
    }
  });
}
