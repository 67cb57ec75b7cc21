/**
 * An error answered in the JSON API's shape:
 * `{"error": {"code", "message", "errors": [{"message", "domain": "global", "reason"}]}}`.
 */
export class GcsError extends Error {
  readonly status: number;
  readonly reason: string;

  constructor(status: number, reason: string, message: string) {
    super(message);
    this.name = 'GcsError';
    this.status = status;
    this.reason = reason;
  }

  toJson(): unknown {
    return {
      error: {
        code: this.status,
        message: this.message,
        errors: [{ message: this.message, domain: 'global', reason: this.reason }],
      },
    };
  }
}

export const gcsErrors = {
  noSuchBucket: () => new GcsError(404, 'notFound', 'The specified bucket does not exist.'),
  noSuchObject: (bucket: string, name: string) =>
    new GcsError(404, 'notFound', `No such object: ${bucket}/${name}`),
  noSuchUpload: () => new GcsError(404, 'notFound', 'No such upload session.'),
  preconditionFailed: () =>
    new GcsError(412, 'conditionNotMet', 'At least one of the pre-conditions you specified did not hold.'),
  bucketExists: () =>
    new GcsError(
      409,
      'conflict',
      'Your previous request to create the named bucket succeeded and you already own it.',
    ),
  bucketNotEmpty: () => new GcsError(409, 'conflict', 'The bucket you tried to delete is not empty.'),
  badRequest: (message: string) => new GcsError(400, 'invalid', message),
  rangeNotSatisfiable: () =>
    new GcsError(416, 'requestedRangeNotSatisfiable', 'The requested range cannot be satisfied.'),
  notEmulated: (what: string) => new GcsError(501, 'notImplemented', `Not emulated by local-gcs: ${what}`),
} as const;
