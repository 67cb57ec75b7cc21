import type { ExportEvent, ExportWindow } from '@bq-sftp-export/contracts';

import { escapeHtml, type EmailContent } from './render-email.js';
import { escapeMrkdwn, type SlackBlock, type SlackContent } from './render-slack.js';

/** How far below the window the extractor counts late rows (its 7-day horizon). */
const HORIZON_MS = 7 * 24 * 3600 * 1000;

/**
 * An alert that rows arrived below an export's watermark since its previous run: their
 * timestamp is below the window, so no incremental run will deliver them. Figures only, never a
 * row value.
 */
export interface LateRowsAlert {
  readonly exportName: string;
  readonly configName: string;
  readonly sourceTable: string;
  readonly runId: string;
  readonly occurredAt: string;
  readonly lateRows: number;
  readonly window: ExportWindow;
  /** What the operator can do: deliver the rows with a backfill, and stop losing more. */
  readonly commands: readonly string[];
}

/** The alert an event calls for: an extract that counted more than zero late rows. */
export function lateRowsAlertOf(event: ExportEvent): LateRowsAlert | undefined {
  if (event.type !== 'extract.staged' && event.type !== 'extract.empty') return undefined;
  const lateRows = event.lateRows;
  if (lateRows === undefined || lateRows === null || lateRows <= 0) return undefined;
  const low = event.window.low;
  const commands =
    low === undefined
      ? []
      : [
          `bq-sftp trigger --config ${event.configName} --export ${event.exportName} --from ${new Date(Date.parse(low) - HORIZON_MS).toISOString()} --to ${low}`,
        ];
  return Object.freeze({
    exportName: event.exportName,
    configName: event.configName,
    sourceTable: event.sourceTable,
    runId: event.runId,
    occurredAt: event.occurredAt,
    lateRows,
    window: event.window,
    commands,
  });
}

function headlineOf(alert: LateRowsAlert): string {
  const rows = alert.lateRows === 1 ? '1 row' : `${alert.lateRows.toLocaleString('en-US')} rows`;
  return `${alert.exportName}: ${rows} arrived below the watermark`;
}

function figuresOf(alert: LateRowsAlert): readonly (readonly [string, string])[] {
  return [
    ['Export', `${alert.exportName} (config ${alert.configName})`],
    ['Source table', alert.sourceTable],
    ['Late rows', alert.lateRows.toLocaleString('en-US')],
    ['Watermark', alert.window.low ?? 'none'],
    ['Window', `[${alert.window.low ?? 'beginning'}, ${alert.window.high})`],
    ['Run', alert.runId],
    ['At', alert.occurredAt],
  ];
}

const EXPLANATION =
  'These rows were committed to the source table after the previous run, with a timestamp below ' +
  'the watermark that run moved to, so no incremental run will deliver them. The count is net of ' +
  'rows deleted below the watermark, over the 7 days below it.';

const ADVICE = [
  'Deliver them: a backfill over their range (it delivers every row of the range again; narrow --from if you know when they were stamped).',
  'Stop losing more: set settle_delay_seconds to at least the lag of your loads, or lookback_seconds (with dedupe_key) to re-read a margin below the watermark.',
];

/** The alert's email: plain-text and HTML parts with the same figures and advice. */
export function renderLateRowsEmail(alert: LateRowsAlert): EmailContent {
  const headline = headlineOf(alert);
  const figures = figuresOf(alert);
  const text = [
    `${headline}.`,
    '',
    EXPLANATION,
    '',
    ...figures.map(([label, value]) => `${label}: ${value}`),
    '',
    'What you can do:',
    ...ADVICE.map((line) => `- ${line}`),
    ...alert.commands.map((command) => `  ${command}`),
  ].join('\n');
  const rows = figures
    .map(
      ([label, value]) =>
        `<tr><th align="left" style="padding:2px 12px 2px 0">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`,
    )
    .join('');
  const html =
    `<!doctype html><html><body style="font-family:sans-serif"><h2>${escapeHtml(headline)}</h2>` +
    `<p>${escapeHtml(EXPLANATION)}</p><table>${rows}</table><p>What you can do:</p><ul>` +
    ADVICE.map((line) => `<li>${escapeHtml(line)}</li>`).join('') +
    `</ul>${alert.commands.length === 0 ? '' : `<pre>${alert.commands.map(escapeHtml).join('\n')}</pre>`}` +
    `</body></html>`;
  return Object.freeze({
    subject: `[bq-sftp-export] ${headline}, ${alert.occurredAt.slice(0, 10)}`,
    text: `${text}\n`,
    html,
  });
}

/** The alert's Slack message: a header, the explanation, the figures, the advice and command. */
export function renderLateRowsSlack(alert: LateRowsAlert): SlackContent {
  const headline = headlineOf(alert);
  const advice = ADVICE.map((line) => `• ${escapeMrkdwn(line)}`).join('\n');
  const commands =
    alert.commands.length === 0 ? '' : `\n\`\`\`${alert.commands.map(escapeMrkdwn).join('\n')}\`\`\``;
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: `:warning: ${headline}`.slice(0, 150) } },
    { type: 'section', text: { type: 'mrkdwn', text: escapeMrkdwn(EXPLANATION) } },
    {
      type: 'section',
      fields: figuresOf(alert).map(([label, value]) => ({
        type: 'mrkdwn' as const,
        text: `*${label}*\n${escapeMrkdwn(value)}`,
      })),
    },
    { type: 'section', text: { type: 'mrkdwn', text: `*What you can do*\n${advice}${commands}` } },
  ];
  return Object.freeze({ text: `${headline} (run ${alert.runId})`, blocks });
}
