export { AppError, isAppError, isRetryable } from './errors/app-error.js';
export type { AppErrorOptions } from './errors/app-error.js';
