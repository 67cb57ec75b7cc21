import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

import { hrTimeToMilliseconds } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import { ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';

/** One exported span as a line of the local trace file. */
export interface SpanRecord {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name: string;
  readonly serviceName: string;
  readonly kind: number;
  readonly startTime: string;
  readonly durationMs: number;
  readonly status: { readonly code: number; readonly message?: string };
  readonly attributes: Readonly<Record<string, unknown>>;
}

export function toSpanRecord(span: ReadableSpan): SpanRecord {
  const parentSpanId = span.parentSpanContext?.spanId;
  return {
    traceId: span.spanContext().traceId,
    spanId: span.spanContext().spanId,
    ...(parentSpanId === undefined ? {} : { parentSpanId }),
    name: span.name,
    serviceName: String(span.resource.attributes['service.name'] ?? ''),
    kind: span.kind,
    startTime: new Date(hrTimeToMilliseconds(span.startTime)).toISOString(),
    durationMs: Math.round(hrTimeToMilliseconds(span.duration) * 1000) / 1000,
    status: span.status,
    attributes: span.attributes,
  };
}

/**
 * Appends each span as one JSON line (local runs and tests). Several services may share the file:
 * each export is one append of whole lines. A failed write is reported to the SDK, which drops the
 * spans: tracing never fails a message.
 */
export class JsonLinesSpanExporter implements SpanExporter {
  constructor(private readonly file: string) {
    mkdirSync(dirname(file), { recursive: true });
  }

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    try {
      appendFileSync(this.file, spans.map((span) => `${JSON.stringify(toSpanRecord(span))}\n`).join(''));
      done({ code: ExportResultCode.SUCCESS });
    } catch (error) {
      done({
        code: ExportResultCode.FAILED,
        error: error instanceof Error ? error : new Error(String(error)),
      });
    }
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
