import { status, type sendUnaryData, type ServerUnaryCall, type ServiceError } from '@grpc/grpc-js';
import { PubSubError, unimplemented } from '../model/pubsub-error.js';

export type UnaryHandler = (
  call: ServerUnaryCall<unknown, unknown>,
  callback: sendUnaryData<unknown>,
) => void;

/** Wraps a synchronous request → response function as a grpc-js unary handler; PubSubErrors become statuses. */
export function unary<Request, Response>(handle: (request: Request) => Response): UnaryHandler {
  return (call, callback) => {
    try {
      callback(null, handle(call.request as Request));
    } catch (error) {
      callback(toServiceError(error));
    }
  };
}

export function notEmulated(rpc: string): UnaryHandler {
  return (_call, callback) => callback(toServiceError(unimplemented(rpc)));
}

export function toServiceError(error: unknown): Partial<ServiceError> {
  if (error instanceof PubSubError)
    return { code: error.code, details: error.details, message: error.details };
  const message = error instanceof Error ? error.message : String(error);
  return { code: status.INTERNAL, details: message, message };
}
