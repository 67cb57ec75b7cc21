import type { Secret } from '@bq-sftp-export/config';
import { AppError, withSpan } from '@bq-sftp-export/runtime';
import { IncomingWebhook, IncomingWebhookHTTPError } from '@slack/webhook';
import type { FetchFunction, IncomingWebhookSendArguments } from '@slack/webhook';

import type { SlackSender } from '../application/ports/notifiers.js';
import type { SlackContent } from '../domain/render-slack.js';
import { waitBeforeRetry } from './retry-delay.js';

export interface SlackRetryPolicy {
  /** Posts in all when Slack answers 429. Default 3. */
  readonly maxAttempts: number;
  /** A `Retry-After` longer than this is not waited for: the post is given up. Default 60 s. */
  readonly maxRetryAfterMs: number;
  /** Used when a 429 has no readable `Retry-After`. Default 1 s. */
  readonly defaultRetryAfterMs: number;
  /** Request timeout. Default 10 s. */
  readonly timeoutMs: number;
}

const DEFAULT_POLICY: SlackRetryPolicy = {
  maxAttempts: 3,
  maxRetryAfterMs: 60_000,
  defaultRetryAfterMs: 1000,
  timeoutMs: 10_000,
};

/** `Retry-After` in seconds (Slack's form) or as an HTTP date. */
function retryAfterMs(header: string | null, fallback: number, now: number): number {
  if (header === null) return fallback;
  const seconds = Number(header.trim());
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? fallback : Math.max(0, date - now);
}

/**
 * Slack through `@slack/webhook`. A webhook post is not idempotent, so the only retry is after a
 * 429, when Slack says it did not take the message, waiting `Retry-After` (read through the
 * client's `fetch` seam: the client's error does not carry headers). A timeout, network error or
 * 5xx is never retried and fails non-retryable (the message may have been posted).
 */
export class SlackWebhookSender implements SlackSender {
  private readonly policy: SlackRetryPolicy;

  constructor(policy: Partial<SlackRetryPolicy> = {}) {
    this.policy = { ...DEFAULT_POLICY, ...policy };
  }

  post(message: SlackContent, webhookUrl: Secret, signal?: AbortSignal): Promise<void> {
    return withSpan('notification slack', {}, () => this.postMessage(message, webhookUrl, signal));
  }

  private async postMessage(message: SlackContent, webhookUrl: Secret, signal?: AbortSignal): Promise<void> {
    const last = { retryAfter: null as string | null };
    const fetchWithHeaders: FetchFunction = async (url, init) => {
      const response = await fetch(url, init);
      last.retryAfter = response.headers.get('retry-after');
      return response;
    };
    const webhook = new IncomingWebhook(webhookUrl.reveal(), {
      fetch: fetchWithHeaders,
      timeout: this.policy.timeoutMs,
      retryConfig: { retries: 0 },
    });
    const payload = { text: message.text, blocks: message.blocks } as IncomingWebhookSendArguments;
    for (let attempt = 1; ; attempt++) {
      last.retryAfter = null;
      try {
        await webhook.send(payload);
        return;
      } catch (error) {
        const status = error instanceof IncomingWebhookHTTPError ? error.statusCode : undefined;
        const wait = retryAfterMs(last.retryAfter, this.policy.defaultRetryAfterMs, Date.now());
        const retry =
          status === 429 && attempt < this.policy.maxAttempts && wait <= this.policy.maxRetryAfterMs;
        if (!retry || signal?.aborted === true) {
          throw new AppError(
            `Slack post failed: ${status === undefined ? 'no response (network error or timeout)' : `HTTP ${status}`} after ${attempt} attempt(s)`,
            {
              code: status === undefined ? 'SLACK_NO_RESPONSE' : `SLACK_HTTP_${status}`,
              // Only a 429 is known not to have posted: the one failure safe to try again later.
              retryable: status === 429,
              cause: error,
              details: { attempts: attempt, ...(status === undefined ? {} : { status }) },
            },
          );
        }
        await waitBeforeRetry(wait, signal);
      }
    }
  }
}
