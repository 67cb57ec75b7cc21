import { AppError } from '../errors/app-error.js';
import { DEFAULT_SHUTDOWN_BUDGET_MS } from '../lifecycle/shutdown-controller.js';
import type { LogLevel } from '../logging/logger.js';
import { environmentValue as value } from './environment-value.js';
import { readPushEndpointSettings } from './push-endpoint-settings.js';
import type { PushEndpointSettings } from './push-endpoint-settings.js';

export type TransportKind = 'pull' | 'push';

/** How a message service runs, read from its environment at start-up. */
export interface ServiceSettings extends PushEndpointSettings {
  /** `TRANSPORT`: `pull` (default, a streaming-pull worker) or `push` (an HTTP endpoint for Pub/Sub push). */
  readonly transport: TransportKind;
  /** `SUBSCRIPTION`: the subscription's name; default the one the service passes (from the topology). */
  readonly subscription: string;
  /** `PORT`: the HTTP port (push endpoint, or the pull worker's health endpoint). Default 8080. */
  readonly port: number;
  /** `LOG_LEVEL`: `debug` | `info` | `warn` | `error` | `fatal` (also `trace` = debug). Default `info`. */
  readonly logLevel: LogLevel;
  /** `SHUTDOWN_BUDGET_MS`: time in-flight work gets after SIGTERM, 1–8500 ms. Default 8000. */
  readonly shutdownBudgetMs: number;
}

export type ServiceEnvironment = Readonly<Record<string, string | undefined>>;

export const SERVICE_SETTINGS_INVALID = 'SERVICE_SETTINGS_INVALID';

/** Budget plus the controller's 1.5 s grace must stay inside Cloud Run's 10 s. */
const maxShutdownBudgetMs = 8_500;
const logLevels: Readonly<Record<string, LogLevel>> = {
  trace: 'debug',
  debug: 'debug',
  info: 'info',
  warn: 'warn',
  error: 'error',
  fatal: 'fatal',
};

/** `LOG_LEVEL`, or `info` when unset or invalid (so a bad value can still be reported in a log line). */
export function logLevelOf(environment: ServiceEnvironment): LogLevel {
  return logLevels[value(environment, 'LOG_LEVEL') ?? 'info'] ?? 'info';
}

/**
 * Reads the transport settings. Empty values count as unset. Throws `SERVICE_SETTINGS_INVALID`
 * naming every bad variable and what it expects (these variables hold no secrets).
 */
export function parseServiceSettings(
  environment: ServiceEnvironment,
  defaults: { readonly subscription: string },
): ServiceSettings {
  const problems: string[] = [];
  const transport = value(environment, 'TRANSPORT') ?? 'pull';
  if (transport !== 'pull' && transport !== 'push')
    problems.push(`TRANSPORT: expected pull or push, got "${transport}"`);
  const subscription = value(environment, 'SUBSCRIPTION') ?? defaults.subscription;
  if (!/^[A-Za-z][A-Za-z0-9._~+%-]{2,254}$/.test(subscription)) {
    problems.push(`SUBSCRIPTION: expected a Pub/Sub subscription id, got "${subscription}"`);
  }
  const port = integer(environment, 'PORT', 8080, 0, 65_535, problems);
  const level = value(environment, 'LOG_LEVEL');
  if (level !== undefined && logLevels[level] === undefined) {
    problems.push(`LOG_LEVEL: expected one of ${Object.keys(logLevels).join(', ')}, got "${level}"`);
  }
  const shutdownBudgetMs = integer(
    environment,
    'SHUTDOWN_BUDGET_MS',
    DEFAULT_SHUTDOWN_BUDGET_MS,
    1,
    maxShutdownBudgetMs,
    problems,
  );
  const endpoint = readPushEndpointSettings(environment);
  problems.push(...endpoint.problems);
  if (problems.length > 0) {
    throw new AppError(`service settings are invalid: ${problems.join('; ')}`, {
      code: SERVICE_SETTINGS_INVALID,
      retryable: false,
      details: { variables: problems.map((problem) => problem.split(':')[0]) },
    });
  }
  return Object.freeze({
    transport: transport as TransportKind,
    subscription,
    port,
    logLevel: logLevelOf(environment),
    shutdownBudgetMs,
    ...endpoint.settings,
  });
}

function integer(
  environment: ServiceEnvironment,
  name: string,
  fallback: number,
  min: number,
  max: number,
  problems: string[],
): number {
  const text = value(environment, name);
  if (text === undefined) return fallback;
  const parsed = /^[0-9]+$/.test(text) ? Number(text) : Number.NaN;
  if (!(parsed >= min && parsed <= max)) {
    problems.push(`${name}: expected a whole number ${min}-${max}, got "${text}"`);
    return fallback;
  }
  return parsed;
}
