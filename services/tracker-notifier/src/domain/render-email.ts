import { figuresOf, headline } from './figures.js';
import type { RunNotification } from './run-notification.js';

export interface EmailContent {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character] ?? character);
}

/** The subject says export, outcome and date: `[bq-sftp-export] shopify_customers FAILED, 2026-11-26`. */
function subjectOf(notification: RunNotification): string {
  return `[bq-sftp-export] ${headline(notification)}, ${notification.occurredAt.slice(0, 10)}`;
}

function textOf(notification: RunNotification): string {
  const lines = [`${headline(notification)}.`, ''];
  for (const [label, value] of figuresOf(notification)) lines.push(`${label}: ${value}`);
  if (notification.advice !== undefined) lines.push('', ...notification.advice.map((line) => `- ${line}`));
  if (notification.commands.length > 0) {
    lines.push('', 'What you can do:');
    for (const command of notification.commands) lines.push(`  ${command}`);
  }
  return `${lines.join('\n')}\n`;
}

function htmlOf(notification: RunNotification): string {
  const rows = figuresOf(notification)
    .map(
      ([label, value]) =>
        `<tr><th align="left" style="padding:2px 12px 2px 0">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`,
    )
    .join('');
  const advice =
    notification.advice === undefined
      ? ''
      : `<ul>${notification.advice.map((line) => `<li>${escapeHtml(line)}</li>`).join('')}</ul>`;
  const commands =
    notification.commands.length === 0
      ? ''
      : `<p>What you can do:</p><pre>${notification.commands.map(escapeHtml).join('\n')}</pre>`;
  return (
    `<!doctype html><html><body style="font-family:sans-serif">` +
    `<h2>${escapeHtml(headline(notification))}</h2><table>${rows}</table>${advice}${commands}</body></html>`
  );
}

/** The email for a run notification: plain-text and HTML parts with the same figures. */
export function renderEmail(notification: RunNotification): EmailContent {
  return Object.freeze({
    subject: subjectOf(notification),
    text: textOf(notification),
    html: htmlOf(notification),
  });
}
