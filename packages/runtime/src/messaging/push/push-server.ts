import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import { answerHealth } from '../../http/health.js';
import { closeServer, listen } from '../../http/http-server-lifecycle.js';
import { DEFAULT_SHUTDOWN_BUDGET_MS } from '../../lifecycle/shutdown-controller.js';
import type { Stoppable } from '../../lifecycle/shutdown-controller.js';
import type { LogFields, Logger } from '../../logging/logger.js';
import { parseCloudTraceContext, parseTraceparent, traceFields } from '../../logging/trace-fields.js';
import { serializeError } from '../../logging/safe-log-value.js';
import { InFlightWork } from '../in-flight-work.js';
import type { MessageProcessor } from '../message-processor.js';
import type { ProcessingResult } from '../received-message.js';
import type { PushAuthenticator } from './push-authenticator.js';
import { parsePushEnvelope } from './push-envelope.js';

export interface PushServerOptions {
  readonly logger: Logger;
  /** Default 8080 (Cloud Run's `PORT`); 0 picks a free port. */
  readonly port?: number;
  /** The interface to listen on (`BIND_HOST`); Node's default (all interfaces) when unset. */
  readonly host?: string;
  /** Where Pub/Sub posts. Default `/`. */
  readonly path?: string;
  /** Largest accepted body. Default 16 MiB (a 10 MB message is about 13.4 MB in base64). */
  readonly maxBodyBytes?: number;
  /**
   * Runs on the headers of every POST before its body is read; a refusal is answered with its
   * status. Required: `OidcPushAuthenticator`, or `allowUnauthenticatedPush` only where nothing
   * untrusted can reach the port.
   */
  readonly authenticator: PushAuthenticator;
  /** When set, log lines of a delivery carry the trace of its request (`traceparent` or `X-Cloud-Trace-Context`). */
  readonly projectId?: string;
  /** Extra health condition; the server reports unhealthy while stopping regardless. */
  readonly isHealthy?: () => boolean;
  /**
   * The subscription's ack deadline (`PUSH_ACK_DEADLINE_SECONDS`), which Pub/Sub uses as its
   * timeout for the push request: a delivery still running then is redelivered. Default 600 s.
   */
  readonly ackDeadlineMs?: number;
}

const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;
/** Pub/Sub's largest ack deadline, hence its longest push request. */
export const DEFAULT_PUSH_ACK_DEADLINE_SECONDS = 600;
/** The share of the ack deadline after which a delivery still running is logged as outlasting it. */
const DEADLINE_WARNING_SHARE = 0.9;
const LONG_RUN_ADVICE = 'runs longer than the ack deadline belong on TRANSPORT=pull (its lease is extended)';

interface RunningDelivery {
  readonly startedAt: number;
  readonly done: Promise<ProcessingResult>;
}

class BodyTooLarge extends Error {}

/**
 * Pub/Sub push over HTTP (Cloud Run style). Answers 204 only once the work is durable (the
 * handler acked, or the dead-letter publish succeeded) and 503 for anything to retry; malformed
 * content is dead-lettered by the runtime and answered 204, never 400. Also serves `/healthz`.
 *
 * Push cannot extend an ack deadline: a delivery still running when it passes is redelivered.
 * A redelivery of a message still running here joins that run (no second handler call) and is
 * answered with its result; the run is logged when it nears the deadline and when it ends late.
 */
export class PushServer<T> implements Stoppable {
  readonly #processor: MessageProcessor<T>;
  readonly #options: PushServerOptions;
  readonly #inFlight = new InFlightWork();
  readonly #server: Server;
  readonly #path: string;
  readonly #maxBodyBytes: number;
  readonly #ackDeadlineMs: number;
  /** Deliveries running here, by message id. */
  readonly #running = new Map<string, RunningDelivery>();

  constructor(processor: MessageProcessor<T>, options: PushServerOptions) {
    this.#processor = processor;
    this.#options = options;
    this.#path = options.path ?? '/';
    this.#maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    this.#ackDeadlineMs = options.ackDeadlineMs ?? DEFAULT_PUSH_ACK_DEADLINE_SECONDS * 1000;
    this.#server = createServer((request, response) => {
      this.#handle(request, response).catch((error: unknown) => {
        this.#options.logger.error('push request failed', { err: serializeError(error) });
        if (!response.headersSent) response.writeHead(500);
        response.end();
      });
    });
  }

  /** Resolves with the bound port. */
  async start(): Promise<number> {
    const port = await listen(this.#server, this.#options.port ?? 8080, this.#options.host);
    this.#options.logger.info('accepting push deliveries', {
      port,
      path: this.#path,
      subscription: this.#processor.subscription,
    });
    return port;
  }

  /** Refuses new deliveries (503), lets in-flight ones finish within the budget, answers the rest 503. */
  async stop(budgetMs: number = DEFAULT_SHUTDOWN_BUDGET_MS): Promise<void> {
    const report = await this.#inFlight.drain(budgetMs);
    this.#options.logger.info('push transport drained', {
      subscription: this.#processor.subscription,
      ...report,
    });
    await closeServer(this.#server);
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const healthy = !this.#inFlight.draining && (this.#options.isHealthy?.() ?? true);
    if (answerHealth(request, response, healthy)) return;
    if (request.url?.split('?')[0] !== this.#path) return void response.writeHead(404).end();
    if (request.method !== 'POST') return void response.writeHead(405, { allow: 'POST' }).end();
    if (this.#inFlight.draining) return void response.writeHead(503).end();
    const authentication = await this.#options.authenticator.authenticate(request.headers);
    if (!authentication.ok) {
      this.#options.logger.warn('push request refused', {
        status: authentication.status,
        reason: authentication.reason,
        subscription: this.#processor.subscription,
      });
      request.resume();
      const challenge = authentication.status === 401 ? { 'www-authenticate': 'Bearer' } : {};
      return void response.writeHead(authentication.status, { ...challenge, connection: 'close' }).end();
    }

    let body: string;
    try {
      body = await this.#readBody(request);
    } catch (error) {
      if (!(error instanceof BodyTooLarge)) throw error;
      this.#options.logger.warn('push body too large', { limitBytes: this.#maxBodyBytes });
      response.writeHead(413, { connection: 'close' }).end();
      return;
    }
    const envelope = parsePushEnvelope(body);
    if (!envelope.ok) {
      this.#options.logger.warn('not a Pub/Sub push request', {
        problem: envelope.problem,
        sizeBytes: body.length,
      });
      return void response.writeHead(400, { 'content-type': 'text/plain' }).end(envelope.problem);
    }
    const bindings = this.#traceBindings(request.headers);
    const messageId = envelope.message.id;
    const result = await (this.#join(messageId) ??
      this.#track(messageId, () =>
        this.#inFlight.run((signal, abandoned) =>
          this.#processor.process(envelope.message, signal, bindings, abandoned),
        ),
      ));
    response.writeHead(result.settlement === 'ack' ? 204 : 503).end();
  }

  /** The result of the run of `messageId` still going here (a redelivery), if there is one. */
  #join(messageId: string): Promise<ProcessingResult> | undefined {
    const running = this.#running.get(messageId);
    if (running === undefined) return undefined;
    this.#options.logger.warn(
      'push redelivery joined the run still in progress; the handler is not called again',
      {
        messageId,
        subscription: this.#processor.subscription,
        runningMs: Date.now() - running.startedAt,
        ackDeadlineSeconds: this.#ackDeadlineMs / 1000,
        advice: LONG_RUN_ADVICE,
      },
    );
    return running.done;
  }

  /** Runs one delivery, known by its message id while it runs, and logs it when it outlasts the deadline. */
  async #track(messageId: string, run: () => Promise<ProcessingResult>): Promise<ProcessingResult> {
    const startedAt = Date.now();
    const fields = {
      messageId,
      subscription: this.#processor.subscription,
      ackDeadlineSeconds: this.#ackDeadlineMs / 1000,
    };
    const warning = setTimeout(() => {
      this.#options.logger.warn('push delivery is outlasting the ack deadline; Pub/Sub will redeliver it', {
        ...fields,
        runningMs: Date.now() - startedAt,
        advice: LONG_RUN_ADVICE,
      });
    }, this.#ackDeadlineMs * DEADLINE_WARNING_SHARE);
    warning.unref();
    const done = run();
    this.#running.set(messageId, { startedAt, done });
    try {
      const result = await done;
      const durationMs = Date.now() - startedAt;
      if (durationMs > this.#ackDeadlineMs) {
        this.#options.logger.warn(
          'push delivery finished after the ack deadline; its redelivery carries the result',
          {
            ...fields,
            durationMs,
            settlement: result.settlement,
            advice: LONG_RUN_ADVICE,
          },
        );
      }
      return result;
    } finally {
      clearTimeout(warning);
      this.#running.delete(messageId);
    }
  }

  #traceBindings(headers: IncomingHttpHeaders): LogFields {
    const projectId = this.#options.projectId;
    if (projectId === undefined) return {};
    const traceparent = headers['traceparent'];
    const cloudTrace = headers['x-cloud-trace-context'];
    const trace =
      parseTraceparent(typeof traceparent === 'string' ? traceparent : undefined) ??
      parseCloudTraceContext(typeof cloudTrace === 'string' ? cloudTrace : undefined);
    return trace === undefined ? {} : traceFields(projectId, trace);
  }

  #readBody(request: IncomingMessage): Promise<string> {
    const declared = Number(request.headers['content-length'] ?? 0);
    if (declared > this.#maxBodyBytes) {
      request.resume();
      return Promise.reject(new BodyTooLarge());
    }
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      request.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > this.#maxBodyBytes) {
          request.removeAllListeners('data');
          request.resume();
          reject(new BodyTooLarge());
          return;
        }
        chunks.push(chunk);
      });
      request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      request.on('error', reject);
    });
  }
}
