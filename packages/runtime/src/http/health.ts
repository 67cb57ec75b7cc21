import type { IncomingMessage, ServerResponse } from 'node:http';

export const HEALTH_PATH = '/healthz';

/** Answers `GET /healthz`: 200 while running, 503 once shutting down. Returns false for other requests. */
export function answerHealth(request: IncomingMessage, response: ServerResponse, healthy: boolean): boolean {
  if (request.method !== 'GET' || request.url?.split('?')[0] !== HEALTH_PATH) return false;
  response.writeHead(healthy ? 200 : 503, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ status: healthy ? 'ok' : 'shutting down' }));
  return true;
}
