export { AppError, isAppError, isRetryable } from './errors/app-error.js';
export type { AppErrorOptions } from './errors/app-error.js';

export { Logger } from './logging/logger.js';
export type { LogFields, LogLevel } from './logging/logger.js';
export { createLogger } from './logging/create-logger.js';
export type { LogDestination, LoggerOptions } from './logging/create-logger.js';
export { LogCapture } from './logging/log-capture.js';
export { serializeError, toSafeLogValue } from './logging/safe-log-value.js';
export { REDACTED, isSecretKey, redactString } from './logging/secret-patterns.js';
export { parseTraceparent, traceFields } from './logging/trace-fields.js';
export type { TraceContext } from './logging/trace-fields.js';

export { Clock, SystemClock } from './time/clock.js';
export { runtimeModule } from './di/runtime.module.js';
export type { RuntimeModuleOptions } from './di/runtime.module.js';
export { DEFAULT_SHUTDOWN_BUDGET_MS, ShutdownController } from './lifecycle/shutdown-controller.js';
export type { ShutdownOptions, SignalSource, Stoppable } from './lifecycle/shutdown-controller.js';
