import { trace } from '@opentelemetry/api';
import { pino } from 'pino';
import type { Logger as PinoInstance } from 'pino';
import type { LogFields, LogLevel, Logger } from './logger.js';
import { toSafeLogValue } from './safe-log-value.js';
import { redactString } from './secret-patterns.js';
import { traceFields } from './trace-fields.js';

/** Where log lines go; anything with `write(line)` (stdout by default, a `LogCapture` in tests). */
export interface LogDestination {
  write(line: string): unknown;
}

export interface LoggerOptions {
  readonly level: LogLevel;
  /** The service name, written as `serviceName` on every line. */
  readonly name: string;
  readonly destination?: LogDestination;
  /**
   * The Google Cloud project: while a sampled or unsampled span is active, every line carries
   * `logging.googleapis.com/trace` (`projects/<project>/traces/<id>`), `spanId` and `trace_sampled`.
   */
  readonly traceProjectId?: string;
}

const severityByLevel: Readonly<Record<string, string>> = {
  trace: 'DEBUG',
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARNING',
  error: 'ERROR',
  fatal: 'CRITICAL',
};

/** A logger writing one Cloud Logging JSON object per line: `severity`, `message`, ISO `time`. */
export function createLogger(options: LoggerOptions): Logger {
  const instance = pino(
    {
      level: options.level,
      base: { serviceName: redactString(options.name) },
      messageKey: 'message',
      timestamp: pino.stdTimeFunctions.isoTime,
      // Values are already made safe by `formatters.log`; pino's own error serializer would undo that.
      serializers: { err: (value: unknown) => value },
      ...(options.traceProjectId === undefined ? {} : { mixin: activeTraceFields(options.traceProjectId) }),
      formatters: {
        level: (label) => ({ severity: severityByLevel[label] ?? 'DEFAULT' }),
        log: (object) => toSafeLogValue(object) as Record<string, unknown>,
      },
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
  return new PinoLogger(instance);
}

/** The active span's Cloud Logging trace fields; none outside a span (or with tracing off). */
function activeTraceFields(projectId: string): () => Record<string, unknown> {
  return () => {
    const span = trace.getActiveSpan()?.spanContext();
    if (span === undefined || !trace.isSpanContextValid(span)) return {};
    return {
      ...traceFields(projectId, {
        traceId: span.traceId,
        spanId: span.spanId,
        sampled: (span.traceFlags & 1) === 1,
      }),
    };
  };
}

class PinoLogger implements Logger {
  constructor(private readonly instance: PinoInstance) {}

  debug(message: string, fields?: LogFields): void {
    this.instance.debug(fields ?? {}, redactString(message));
  }

  info(message: string, fields?: LogFields): void {
    this.instance.info(fields ?? {}, redactString(message));
  }

  warn(message: string, fields?: LogFields): void {
    this.instance.warn(fields ?? {}, redactString(message));
  }

  error(message: string, fields?: LogFields): void {
    this.instance.error(fields ?? {}, redactString(message));
  }

  fatal(message: string, fields?: LogFields): void {
    this.instance.fatal(fields ?? {}, redactString(message));
  }

  child(bindings: LogFields): Logger {
    return new PinoLogger(this.instance.child(toSafeLogValue(bindings) as Record<string, unknown>));
  }
}
