import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { ApiError, isApiError } from './api-error.js';
import type { Router } from './router.js';

const API_PREFIX = '/bigquery/v2';
const MAX_BODY_BYTES = 100 * 1024 * 1024;

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new ApiError('invalid', 'Request body too large');
    chunks.push(buffer);
  }
  if (size === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch (error) {
    throw new ApiError('invalid', 'Request body is not valid JSON', { cause: error });
  }
}

function send(response: ServerResponse, status: number, body: unknown): void {
  if (body === undefined) {
    response.writeHead(status).end();
    return;
  }
  const text = JSON.stringify(body);
  response
    .writeHead(status, {
      'content-type': 'application/json; charset=UTF-8',
      'content-length': Buffer.byteLength(text),
    })
    .end(text);
}

/** An HTTP server answering `/bigquery/v2/…` from the router, errors in BigQuery's JSON shape. */
export function createApiServer(router: Router): Server {
  return createServer((request, response) => {
    void (async () => {
      try {
        const url = new URL(request.url ?? '/', 'http://localhost');
        if (!url.pathname.startsWith(API_PREFIX))
          throw new ApiError('notFound', `Not found: ${url.pathname}`);
        const body = await readJson(request);
        const result = await router.dispatch(
          request.method ?? 'GET',
          url.pathname.slice(API_PREFIX.length),
          url.searchParams,
          body,
        );
        send(response, result.status ?? 200, result.body);
      } catch (error) {
        const apiError = isApiError(error)
          ? error
          : new ApiError('backendError', error instanceof Error ? error.message : String(error), {
              cause: error,
            });
        send(response, apiError.status, apiError.toBody());
      }
    })();
  });
}
