import { Secret } from '@bq-sftp-export/config';
import { startSmtpSink } from '@bq-sftp-export/local-sinks';
import type { SmtpSink } from '@bq-sftp-export/local-sinks';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';

import type { EmailTarget } from '../application/ports/notifiers.js';
import { renderEmail } from '../domain/render-email.js';
import { runNotificationOf } from '../domain/run-notification.js';
import { events, runFacts } from '../domain/testing/events.js';
import { freePort } from '../testing/free-port.js';
import { SmtpEmailSender } from './smtp-email-sender.adapter.js';

const email = renderEmail(runNotificationOf(events.uploadFailed(runFacts('run-1')), 'failure'));

function target(port: number, password = 'mail-password'): EmailTarget {
  return {
    settings: {
      to: ['ops@example.com', 'data@example.com'],
      from: 'bqx@example.com',
      smtpHost: '127.0.0.1',
      smtpPort: port,
      secure: false,
      username: 'mailer',
      passwordEnv: 'EMAIL_PASSWORD',
    },
    password: new Secret('EMAIL_PASSWORD', password),
  };
}

describe('SmtpEmailSender (real SMTP server, nodemailer)', () => {
  let sink: SmtpSink;
  const sender = new SmtpEmailSender({ baseDelayMs: 20, timeoutMs: 10_000 });

  beforeAll(async () => {
    sink = await startSmtpSink({ auth: { username: 'mailer', password: 'mail-password' } });
  });
  afterAll(async () => {
    await sink.stop();
  });
  beforeEach(() => {
    sink.clear();
  });

  it('sends one message with a text and an HTML part, authenticated', async () => {
    await sender.send(email, target(sink.port));
    const [mail] = await sink.waitFor(1, 10_000);
    expect(mail?.subject).toBe('[bq-sftp-export] shopify_customers FAILED, 2026-11-26');
    expect(mail?.envelope.to).toEqual(['ops@example.com', 'data@example.com']);
    expect(mail?.from).toEqual(['bqx@example.com']);
    expect(mail?.text).toContain('bq-sftp replay --subscription ops.file-ready.dead-letter');
    expect(mail?.html).toContain('<h2>shopify_customers FAILED</h2>');
  });

  it('retries a transient 4xx with backoff until the server accepts', async () => {
    sink.failNext(2, 451);
    await sender.send(email, target(sink.port));
    expect(sink.messages()).toHaveLength(1);
  });

  it('gives up after the last attempt with a retryable error that names no address', async () => {
    sink.failNext(4, 451);
    const failure = sender.send(email, target(sink.port));
    await expect(failure).rejects.toMatchObject({ code: 'SMTP_UNAVAILABLE', retryable: true });
    await expect(failure).rejects.toThrow('email not sent: SMTP 451 after 4 attempt(s)');
    expect(sink.messages()).toHaveLength(0);
  });

  it('does not retry a permanent rejection or bad credentials', async () => {
    sink.failNext(1, 550);
    await expect(sender.send(email, target(sink.port))).rejects.toMatchObject({
      code: 'SMTP_REJECTED',
      retryable: false,
      details: { attempts: 1 },
    });
    await expect(sender.send(email, target(sink.port, 'wrong'))).rejects.toMatchObject({
      code: 'SMTP_REJECTED',
      retryable: false,
    });
    expect(sink.messages()).toHaveLength(0);
  });

  it('retries a refused connection, then reports the server unavailable', async () => {
    await expect(sender.send(email, target(await freePort()))).rejects.toMatchObject({
      code: 'SMTP_UNAVAILABLE',
      retryable: true,
      details: { attempts: 4 },
    });
  });
});
