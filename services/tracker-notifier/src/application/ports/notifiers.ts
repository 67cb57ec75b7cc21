import type { EmailSettings, Secret } from '@bq-sftp-export/config';
import type { ServiceIdentifier } from 'inversify';

import type { EmailContent } from '../../domain/render-email.js';
import type { SlackContent } from '../../domain/render-slack.js';

/** Where an email goes: the config's SMTP settings and the password from the environment. */
export interface EmailTarget {
  readonly settings: EmailSettings;
  readonly password?: Secret;
}

/**
 * Sends one email, retrying transient SMTP failures (4xx, connection refused) with backoff.
 * Throws `AppError` when it gives up.
 */
export interface EmailSender {
  send(email: EmailContent, target: EmailTarget, signal?: AbortSignal): Promise<void>;
}

export const EmailSender: ServiceIdentifier<EmailSender> = Symbol('EmailSender');

/**
 * Posts one message to a Slack incoming webhook. Retried only on 429 after `Retry-After`; a
 * timeout or 5xx is not retried (the post may have landed) and throws a non-retryable `AppError`.
 */
export interface SlackSender {
  post(message: SlackContent, webhookUrl: Secret, signal?: AbortSignal): Promise<void>;
}

export const SlackSender: ServiceIdentifier<SlackSender> = Symbol('SlackSender');
