import type { LogFields } from './logger.js';

export interface TraceContext {
  readonly traceId: string;
  readonly spanId?: string;
  readonly sampled?: boolean;
}

/** The Cloud Logging fields that join a log line to its trace. */
export function traceFields(projectId: string, trace: TraceContext): LogFields {
  return {
    'logging.googleapis.com/trace': `projects/${projectId}/traces/${trace.traceId}`,
    ...(trace.spanId === undefined ? {} : { 'logging.googleapis.com/spanId': trace.spanId }),
    ...(trace.sampled === undefined ? {} : { 'logging.googleapis.com/trace_sampled': trace.sampled }),
  };
}

/** Reads a W3C `traceparent` header (`00-<trace>-<span>-<flags>`); undefined when absent or invalid. */
export function parseTraceparent(header: string | undefined): TraceContext | undefined {
  const match =
    header === undefined
      ? null
      : /^[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/.exec(header.trim());
  if (match === null) return undefined;
  const [, traceId = '', spanId = '', flags = '00'] = match;
  return { traceId, spanId, sampled: (Number.parseInt(flags, 16) & 1) === 1 };
}

/** Reads Google's `X-Cloud-Trace-Context` header (`TRACE_ID/SPAN_ID;o=1`, span id in decimal). */
export function parseCloudTraceContext(header: string | undefined): TraceContext | undefined {
  const match =
    header === undefined ? null : /^([0-9a-f]{32})(?:\/(\d+))?(?:;o=([01]))?$/i.exec(header.trim());
  if (match === null) return undefined;
  const [, traceId = '', spanId, sampled] = match;
  return {
    traceId: traceId.toLowerCase(),
    ...(spanId === undefined ? {} : { spanId: BigInt(spanId).toString(16).padStart(16, '0') }),
    ...(sampled === undefined ? {} : { sampled: sampled === '1' }),
  };
}
