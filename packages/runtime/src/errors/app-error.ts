const appErrorBrand = Symbol.for('bq-sftp-export.AppError');

export interface AppErrorOptions {
  /** Stable, machine-readable code, e.g. `CONFIG_INVALID` or `SFTP_HOST_KEY_MISMATCH`. */
  readonly code: string;
  /** True when trying the same work again later may succeed (network, timeouts, 5xx). */
  readonly retryable: boolean;
  readonly cause?: unknown;
  /** Safe, non-secret facts for logs (never row values, never credentials). */
  readonly details?: Readonly<Record<string, unknown>>;
}

/**
 * The project's error: a stable `code`, whether a retry may help, and the original cause.
 * Recognised by a brand (`isAppError`) rather than `instanceof`, so errors keep their identity
 * across duplicated module copies and process boundaries.
 */
export class AppError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  readonly details: Readonly<Record<string, unknown>>;
  readonly [appErrorBrand] = true;

  constructor(message: string, options: AppErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = options.code;
    this.retryable = options.retryable;
    this.details = Object.freeze({ ...options.details });
  }
}

export function isAppError(value: unknown): value is AppError {
  return (
    typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[appErrorBrand] === true
  );
}

/** True for an AppError marked retryable; unknown errors count as retryable (a crash is not a verdict). */
export function isRetryable(error: unknown): boolean {
  return isAppError(error) ? error.retryable : true;
}
