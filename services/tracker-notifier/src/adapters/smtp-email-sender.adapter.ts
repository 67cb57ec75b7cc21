import { AppError, withSpan } from '@bq-sftp-export/runtime';
import nodemailer from 'nodemailer';

import type { EmailSender, EmailTarget } from '../application/ports/notifiers.js';
import type { EmailContent } from '../domain/render-email.js';
import { waitBeforeRetry } from './retry-delay.js';

export interface SmtpRetryPolicy {
  /** Attempts in all, the first included. Default 4. */
  readonly maxAttempts: number;
  /** Delay before the second attempt, doubled before each further one. Default 1 s. */
  readonly baseDelayMs: number;
  /** Connection, greeting and socket timeouts. Default 30 s. */
  readonly timeoutMs: number;
}

const DEFAULT_POLICY: SmtpRetryPolicy = { maxAttempts: 4, baseDelayMs: 1000, timeoutMs: 30_000 };

/** Failures where the server never accepted the message: a retry cannot send it twice. */
const CONNECTION_CODES = new Set(['ECONNECTION', 'ESOCKET', 'EDNS']);

interface SmtpFailure {
  readonly code?: string;
  readonly responseCode?: number;
  readonly permanent?: boolean;
}

function isTransient(error: SmtpFailure): boolean {
  if (error.responseCode !== undefined) return error.permanent === false;
  return error.code !== undefined && CONNECTION_CODES.has(error.code);
}

/** What went wrong, without addresses or server text (which may quote them). */
function describe(error: SmtpFailure): string {
  if (error.responseCode !== undefined) return `SMTP ${error.responseCode}`;
  return error.code ?? 'unexpected error';
}

/**
 * Email through SMTP with nodemailer: a plain-text and an HTML part. Transient failures (4xx
 * replies, a refused or dropped connection) are retried with exponential backoff; a permanent
 * rejection (5xx, authentication) is not.
 */
export class SmtpEmailSender implements EmailSender {
  private readonly policy: SmtpRetryPolicy;

  constructor(policy: Partial<SmtpRetryPolicy> = {}) {
    this.policy = { ...DEFAULT_POLICY, ...policy };
  }

  send(email: EmailContent, target: EmailTarget, signal?: AbortSignal): Promise<void> {
    return withSpan('notification email', {}, () => this.sendEmail(email, target, signal));
  }

  private async sendEmail(email: EmailContent, target: EmailTarget, signal?: AbortSignal): Promise<void> {
    const { settings, password } = target;
    const transport = nodemailer.createTransport({
      host: settings.smtpHost,
      port: settings.smtpPort,
      secure: settings.secure,
      ...(settings.username === undefined
        ? {}
        : { auth: { user: settings.username, pass: password?.reveal() ?? '' } }),
      connectionTimeout: this.policy.timeoutMs,
      greetingTimeout: this.policy.timeoutMs,
      socketTimeout: this.policy.timeoutMs,
    });
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          await transport.sendMail({
            from: settings.from,
            to: [...settings.to],
            subject: email.subject,
            text: email.text,
            html: email.html,
          });
          return;
        } catch (error) {
          const failure = error as SmtpFailure;
          const transient = isTransient(failure);
          if (!transient || attempt >= this.policy.maxAttempts || signal?.aborted === true) {
            throw new AppError(`email not sent: ${describe(failure)} after ${attempt} attempt(s)`, {
              code: transient ? 'SMTP_UNAVAILABLE' : 'SMTP_REJECTED',
              retryable: transient,
              cause: error,
              details: { attempts: attempt },
            });
          }
          await waitBeforeRetry(this.policy.baseDelayMs * 2 ** (attempt - 1), signal);
        }
      }
    } finally {
      transport.close();
    }
  }
}
