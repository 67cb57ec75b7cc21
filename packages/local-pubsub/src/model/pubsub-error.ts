import { status } from '@grpc/grpc-js';

/** An error carrying the gRPC status the real service answers with. grpc-js sends `code` and `details`. */
export class PubSubError extends Error {
  readonly code: status;
  readonly details: string;

  constructor(code: status, details: string) {
    super(details);
    this.name = 'PubSubError';
    this.code = code;
    this.details = details;
  }
}

export const notFound = (resource: string): PubSubError =>
  new PubSubError(status.NOT_FOUND, `Resource not found (resource=${resource}).`);

export const alreadyExists = (resource: string): PubSubError =>
  new PubSubError(status.ALREADY_EXISTS, `Resource already exists in the project (resource=${resource}).`);

export const invalidArgument = (details: string): PubSubError =>
  new PubSubError(status.INVALID_ARGUMENT, details);

export const unimplemented = (what: string): PubSubError =>
  new PubSubError(status.UNIMPLEMENTED, `${what} is not emulated by bq-sftp-export local-pubsub`);
