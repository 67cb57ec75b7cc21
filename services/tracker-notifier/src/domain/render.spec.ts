import { describe, expect, it } from '@jest/globals';

import { events, runFacts } from './testing/events.js';
import { formatBytes, formatDuration } from './figures.js';
import { renderEmail } from './render-email.js';
import { renderSlack } from './render-slack.js';
import { runNotificationOf } from './run-notification.js';

const run = runFacts('run-1');

describe('figures', () => {
  it('formats bytes and durations for people', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(3 * 1024 ** 3)).toBe('3.0 GiB');
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(12_345)).toBe('12.3 s');
    expect(formatDuration(245_000)).toBe('4 min 05 s');
    expect(formatDuration(7_380_000)).toBe('2 h 03 min');
  });
});

describe('renderEmail', () => {
  it('says export, outcome and date in the subject and gives every figure in both parts', () => {
    const email = renderEmail(runNotificationOf(events.delivered(run), 'success'));
    expect(email.subject).toBe('[bq-sftp-export] shopify_customers succeeded, 2026-11-26');
    for (const figure of [
      'Rows: 42',
      'File: SHOPIFYCUSTOMERDATA_20261126_050000.csv',
      'Bytes: 2,048 (2.0 KiB)',
      'Duration: 1.5 s',
      'Run: run-1',
      'Status: delivered',
    ]) {
      expect(email.text).toContain(figure);
    }
    expect(email.html).toContain('<th align="left" style="padding:2px 12px 2px 0">Rows</th><td>42</td>');
    expect(email.text).not.toContain('What you can do');
  });

  it('gives a failure its cause and the exact commands, escaped in HTML', () => {
    const failed = events.uploadFailed(run);
    const email = renderEmail(
      runNotificationOf({ ...failed, error: { ...failed.error, message: 'refused <b>&</b>' } }, 'failure'),
    );
    expect(email.subject).toBe('[bq-sftp-export] shopify_customers FAILED, 2026-11-26');
    expect(email.text).toContain('Cause: SFTP_AUTH_FAILED: refused <b>&</b>');
    expect(email.text).toContain(
      'What you can do:\n  bq-sftp replay --subscription ops.file-ready.dead-letter\n  bq-sftp resend --run run-1 --export shopify_customers\n',
    );
    expect(email.html).toContain('refused &lt;b&gt;&amp;&lt;/b&gt;');
    expect(email.html).not.toContain('<b>&</b>');
    expect(email.html).toContain('<pre>bq-sftp replay --subscription ops.file-ready.dead-letter\n');
  });

  it('tells the operator to replay the export request after an extract failure', () => {
    const email = renderEmail(runNotificationOf(events.extractFailed(run), 'failure'));
    expect(email.text).toContain('bq-sftp replay --subscription ops.export-requests.dead-letter');
    expect(email.text).not.toContain('bq-sftp resend');
  });
});

describe('renderSlack', () => {
  it('builds Block Kit within Slack limits: header, figures as fields, cause, commands', () => {
    const message = renderSlack(runNotificationOf(events.uploadFailed(run), 'failure'));
    expect(message.text).toBe('shopify_customers FAILED: upload failed');
    const [header, figures, cause, commands] = message.blocks;
    expect(header).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: ':x: shopify_customers FAILED' },
    });
    expect(figures?.type).toBe('section');
    const fields = figures?.type === 'section' ? (figures.fields ?? []) : [];
    expect(fields.length).toBeLessThanOrEqual(10);
    expect(fields.map((field) => field.text)).toContain('*File*\nSHOPIFYCUSTOMERDATA_20261126_050000.csv');
    expect(cause).toEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: '*Cause*\nSFTP_AUTH_FAILED: authentication failed for user partner' },
    });
    expect(JSON.stringify(commands)).toContain(
      'bq-sftp replay --subscription ops.file-ready.dead-letter\\nbq-sftp resend --run run-1 --export shopify_customers',
    );
  });

  it('shows a recovery with rows, bytes and duration and escapes mrkdwn', () => {
    const delivered = events.delivered(run);
    const message = renderSlack(runNotificationOf({ ...delivered, fileName: 'a<b>&c.csv' }, 'recovery'));
    const texts = JSON.stringify(message.blocks);
    expect(message.blocks[0]).toMatchObject({
      text: { text: ':large_green_circle: shopify_customers recovered' },
    });
    for (const figure of [
      '*Rows*\\n42',
      '*Bytes*\\n2,048 (2.0 KiB)',
      '*Duration*\\n1.5 s',
      'a&lt;b&gt;&amp;c.csv',
    ]) {
      expect(texts).toContain(figure);
    }
    expect(message.blocks).toHaveLength(2);
  });
});

describe('a changed SFTP host key', () => {
  const mismatch = {
    ...events.uploadFailed(run),
    error: {
      code: 'SFTP_HOST_KEY_MISMATCH',
      message: 'host key SHA256:abc is not pinned for sftp.partner.example',
      retryable: false,
    },
  };

  it('is announced at high severity with what to check and how to update the pin', () => {
    const notification = runNotificationOf(mismatch, 'failure');
    const email = renderEmail(notification);
    expect(email.subject).toBe(
      '[bq-sftp-export] HIGH SEVERITY: shopify_customers FAILED: SFTP host key changed, 2026-11-26',
    );
    expect(email.text).toContain('Severity: HIGH');
    expect(email.text).toContain('man-in-the-middle');
    expect(email.text).toContain('host_key_fingerprints');
    expect(email.html).toContain('<li>Either the partner rotated its host key');
    const slack = renderSlack(notification);
    expect(slack.blocks[0]).toEqual({
      type: 'header',
      text: {
        type: 'plain_text',
        text: ':rotating_light: HIGH SEVERITY: shopify_customers FAILED: SFTP host key changed',
      },
    });
    expect(JSON.stringify(slack.blocks)).toContain('SFTP_HOST_KEY_FINGERPRINTS');
  });

  it('leaves every other failure as it was', () => {
    const notification = runNotificationOf(events.uploadFailed(run), 'failure');
    expect(notification.severity).toBeUndefined();
    expect(renderEmail(notification).text).not.toContain('Severity');
    expect(renderSlack(notification).blocks[0]).toMatchObject({
      text: { text: ':x: shopify_customers FAILED' },
    });
  });
});
