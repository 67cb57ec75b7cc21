/** The reasons this server answers with, as the real API names them. */
export type ApiErrorReason =
  | 'invalid'
  | 'invalidQuery'
  | 'accessDenied'
  | 'quotaExceeded'
  | 'notFound'
  | 'duplicate'
  | 'resourceInUse'
  | 'backendError'
  | 'notImplemented';

const httpStatus: Record<ApiErrorReason, number> = {
  invalid: 400,
  invalidQuery: 400,
  accessDenied: 403,
  quotaExceeded: 403,
  notFound: 404,
  duplicate: 409,
  resourceInUse: 400,
  backendError: 500,
  notImplemented: 501,
};

const grpcStatus: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ALREADY_EXISTS',
  500: 'INTERNAL',
  501: 'UNIMPLEMENTED',
};

/** An error the server answers with, in BigQuery's JSON error shape. */
export class ApiError extends Error {
  readonly status: number;

  constructor(
    readonly reason: ApiErrorReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ApiError';
    this.status = httpStatus[reason];
  }

  /** The body Google sends: `{ error: { code, message, errors: [{ message, domain, reason }], status } }`. */
  toBody(): Record<string, unknown> {
    return {
      error: {
        code: this.status,
        message: this.message,
        errors: [{ message: this.message, domain: 'global', reason: this.reason }],
        status: grpcStatus[this.status] ?? 'UNKNOWN',
      },
    };
  }

  /** The `errorResult` of a job resource. */
  toErrorProto(): { reason: string; message: string; location?: string } {
    return { reason: this.reason, message: this.message };
  }
}

export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError;
}
