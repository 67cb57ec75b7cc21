import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { text } from 'node:stream/consumers';
import { Inbox } from '../inbox/inbox.js';
import { checkSlackPayload } from './slack-payload.js';

/** One post the Slack sink accepted. */
export interface ReceivedSlackPost {
  /** Request path, `/services/T…/B…/…`. */
  readonly path: string;
  /** The JSON payload as posted (`text`, `blocks`, …). */
  readonly payload: Readonly<Record<string, unknown>>;
  readonly receivedAt: Date;
}

export interface SlackSinkOptions {
  /** TCP port; 0 (the default) picks a free one. */
  readonly port?: number;
  /** Address to listen on; `127.0.0.1` by default. */
  readonly host?: string;
  /** Webhook path served; `/services/T000/B000/XXXX` by default. Posts to other paths get 404 `no_service`. */
  readonly path?: string;
}

export interface SlackSink {
  /** The incoming-webhook URL to configure in the client. */
  readonly url: string;
  /** Accepted posts, oldest first. Refused and deliberately failed posts are not kept. */
  posts(): readonly ReceivedSlackPost[];
  /** Resolves once `count` posts have been accepted; rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs: number): Promise<readonly ReceivedSlackPost[]>;
  clear(): void;
  /** Every request received, accepted or not (useful to count retries). */
  attempts(): number;
  /** Answers the next `count` posts with 429 `rate_limited` and `Retry-After: retryAfterSeconds`. */
  rateLimitNext(count: number, retryAfterSeconds: number): void;
  /** Answers the next `count` posts with `status` (500 by default). */
  failNext(count: number, status?: number): void;
  stop(): Promise<void>;
}

type Scripted = { readonly status: 429; readonly retryAfter: number } | { readonly status: number };

/** Starts an HTTP server that behaves like a Slack incoming webhook and keeps what it accepted. */
export async function startSlackSink(options: SlackSinkOptions = {}): Promise<SlackSink> {
  const webhookPath = options.path ?? '/services/T000/B000/XXXX';
  const inbox = new Inbox<ReceivedSlackPost>();
  const scripted: Scripted[] = [];
  let attempts = 0;

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    attempts++;
    const body = await text(request);
    const path = new URL(request.url ?? '/', 'http://sink').pathname;
    if (path !== webhookPath) return reply(response, 404, 'no_service');
    if (request.method !== 'POST') return reply(response, 405, 'invalid_method');
    const next = scripted.shift();
    if (next && 'retryAfter' in next) {
      return reply(response, 429, 'rate_limited', { 'Retry-After': String(next.retryAfter) });
    }
    if (next) return reply(response, next.status, 'internal_error');
    const checked = checkSlackPayload(payloadText(request, body));
    if ('error' in checked) return reply(response, 400, checked.error);
    inbox.add({ path, payload: checked.payload, receivedAt: new Date() });
    reply(response, 200, 'ok');
  };

  const server = createServer((request, response) => {
    handle(request, response).catch(() => reply(response, 500, 'internal_error'));
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://${host}:${port}${webhookPath}`,
    posts: () => inbox.all(),
    waitFor: (count, timeoutMs) => inbox.waitFor(count, timeoutMs),
    clear: () => inbox.clear(),
    attempts: () => attempts,
    rateLimitNext: (count, retryAfterSeconds) => {
      for (let i = 0; i < count; i++) scripted.push({ status: 429, retryAfter: retryAfterSeconds });
    },
    failNext: (count, status = 500) => {
      for (let i = 0; i < count; i++) scripted.push({ status });
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** Slack also takes the JSON form-encoded as `payload=…`. */
function payloadText(request: IncomingMessage, body: string): string {
  const type = request.headers['content-type'] ?? '';
  if (!type.startsWith('application/x-www-form-urlencoded')) return body;
  return new URLSearchParams(body).get('payload') ?? '';
}

function reply(
  response: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { 'Content-Type': 'text/html', ...headers });
  response.end(body);
}
