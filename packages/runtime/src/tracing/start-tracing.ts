import { TraceExporter } from '@google-cloud/opentelemetry-cloud-trace-exporter';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  ConsoleSpanExporter,
  ParentBasedSampler,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-base';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';

import { JsonLinesSpanExporter } from './json-lines-span-exporter.js';
import type { TracingSettings } from './tracing-settings.js';

export interface StartedTracing {
  /** Flushes pending spans and stops exporting (at shutdown, after the transport stopped). */
  shutdown(): Promise<void>;
}

export interface TracingIdentity {
  readonly serviceName: string;
  /** Cloud Trace's project; the exporter finds it from the credentials when unset. */
  readonly projectId?: string;
}

function processorFor(settings: TracingSettings, identity: TracingIdentity): SpanProcessor | undefined {
  switch (settings.exporter) {
    case 'none':
      return undefined;
    case 'cloud-trace':
      return new BatchSpanProcessor(
        new TraceExporter(identity.projectId === undefined ? {} : { projectId: identity.projectId }),
      );
    case 'console':
      return new SimpleSpanProcessor(new ConsoleSpanExporter());
    case 'file':
      if (settings.file === undefined) throw new Error('TRACE_FILE is required with TRACE_EXPORTER=file');
      return new SimpleSpanProcessor(new JsonLinesSpanExporter(settings.file));
  }
}

/**
 * Registers the process's tracer provider and async context (once, at start-up). With exporter
 * `none` nothing is registered: spans are OpenTelemetry's no-ops and cost next to nothing.
 */
export function startTracing(settings: TracingSettings, identity: TracingIdentity): StartedTracing {
  const processor = processorFor(settings, identity);
  if (processor === undefined) return { shutdown: () => Promise.resolve() };
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': identity.serviceName }),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(settings.sampleRatio) }),
    spanProcessors: [processor],
  });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  trace.setGlobalTracerProvider(provider);
  return {
    shutdown: async () => {
      await provider.shutdown();
      trace.disable();
      context.disable();
    },
  };
}
