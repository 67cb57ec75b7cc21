import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';

import { gcsErrors } from '../model/gcs-error.js';

const maxJsonBytes = 16 * 1024 * 1024;

/** Reads a JSON request body (an empty body reads as `{}`). */
export async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxJsonBytes) throw gcsErrors.badRequest('Request body too large.');
    chunks.push(chunk);
  }
  return parseJsonObject(Buffer.concat(chunks).toString('utf8'));
}

export function parseJsonObject(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw gcsErrors.badRequest('Invalid JSON payload received.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw gcsErrors.badRequest('Invalid JSON payload received: expected an object.');
  }
  return value as Record<string, unknown>;
}

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: OutgoingHttpHeaders = {},
): void {
  const payload = Buffer.from(JSON.stringify(body));
  response.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=UTF-8',
    'content-length': payload.length,
  });
  response.end(payload);
}

export function sendEmpty(response: ServerResponse, status: number, headers: OutgoingHttpHeaders = {}): void {
  response.writeHead(status, { ...headers, 'content-length': 0 });
  response.end();
}

/** Discards whatever of the request body is left, so the connection can be reused. */
export async function drain(request: IncomingMessage): Promise<void> {
  if (request.readableEnded) return;
  for await (const _chunk of request) {
    // discard
  }
}
