import type { ServiceIdentifier } from 'inversify';

/** Structured fields for a log line. Secrets are redacted; never put row values or payloads here. */
export type LogFields = Readonly<Record<string, unknown>>;

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/** The project's logger: Cloud Logging JSON lines, secrets redacted by key and by pattern. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** Logged with severity CRITICAL. */
  fatal(message: string, fields?: LogFields): void;
  /** A logger whose lines all carry `bindings`, e.g. `{ runId, exportName }` for one run. */
  child(bindings: LogFields): Logger;
}

export const Logger: ServiceIdentifier<Logger> = Symbol('Logger');
