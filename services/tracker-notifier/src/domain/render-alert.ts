import type { EmailContent } from './render-email.js';
import { escapeHtml } from './render-email.js';
import { clip, escapeMrkdwn } from './render-slack.js';
import type { SlackBlock, SlackContent } from './render-slack.js';
import type { RunAlert } from './run-alerts.js';

function titleOf(alert: RunAlert): string {
  return `${alert.exportName}: ${alert.headline}`;
}

/** The alert's own figures after the export's: export, the alert's figures, run, time. */
function figuresOf(alert: RunAlert): readonly (readonly [string, string])[] {
  return [
    ['Export', `${alert.exportName} (config ${alert.configName})`],
    ...alert.figures,
    ['Run', alert.runId],
    ['At', alert.occurredAt],
  ];
}

/** The alert's email: `[bq-sftp-export] ALERT <export>: <headline>, <date>`, text and HTML. */
export function renderAlertEmail(alert: RunAlert): EmailContent {
  const title = titleOf(alert);
  const figures = figuresOf(alert);
  const text = [
    `${title}.`,
    '',
    alert.explanation,
    '',
    ...figures.map(([label, value]) => `${label}: ${value}`),
    '',
    'What you can do:',
    ...alert.advice.map((line) => `- ${line}`),
  ].join('\n');
  const rows = figures
    .map(
      ([label, value]) => `<tr><th align="left">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`,
    )
    .join('');
  const advice = alert.advice.map((line) => `<li>${escapeHtml(line)}</li>`).join('');
  const html =
    `<!doctype html><html><body style="font-family:sans-serif"><h2>${escapeHtml(title)}</h2>` +
    `<p>${escapeHtml(alert.explanation)}</p><table>${rows}</table>` +
    `<p>What you can do:</p><ul>${advice}</ul></body></html>`;
  return Object.freeze({
    subject: `[bq-sftp-export] ALERT ${title}, ${alert.occurredAt.slice(0, 10)}`,
    text: `${text}\n`,
    html,
  });
}

/** The alert's Slack message: a warning header, the explanation, the figures, the advice. */
export function renderAlertSlack(alert: RunAlert): SlackContent {
  const title = titleOf(alert);
  const advice = alert.advice.map((line) => `• ${escapeMrkdwn(line)}`).join('\n');
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(`:warning: ${title}`, 150) } },
    { type: 'section', text: { type: 'mrkdwn', text: clip(escapeMrkdwn(alert.explanation), 3000) } },
    {
      type: 'section',
      fields: figuresOf(alert)
        .slice(0, 10)
        .map(([label, value]) => ({
          type: 'mrkdwn' as const,
          text: clip(`*${label}*\n${escapeMrkdwn(value)}`, 2000),
        })),
    },
    { type: 'section', text: { type: 'mrkdwn', text: clip(`*What you can do*\n${advice}`, 3000) } },
  ];
  return Object.freeze({ text: `${title} (run ${alert.runId})`, blocks });
}
