import { figuresOf, headline } from './figures.js';
import type { RunNotification } from './run-notification.js';

/** A Block Kit block, as far as these messages use them. */
export type SlackBlock =
  | { readonly type: 'header'; readonly text: { readonly type: 'plain_text'; readonly text: string } }
  | {
      readonly type: 'section';
      readonly text?: { readonly type: 'mrkdwn'; readonly text: string };
      readonly fields?: readonly { readonly type: 'mrkdwn'; readonly text: string }[];
    };

export interface SlackContent {
  /** Fallback for notifications and clients without blocks. */
  readonly text: string;
  readonly blocks: readonly SlackBlock[];
}

/** A high-severity failure (a changed host key) is flagged red whatever the outcome icon. */
const HIGH_SEVERITY_ICON = ':rotating_light:';

const ICONS: Readonly<Record<RunNotification['outcome'], string>> = {
  success: ':white_check_mark:',
  failure: ':x:',
  recovery: ':large_green_circle:',
};

/** Slack's mrkdwn control characters are `&`, `<` and `>`. */
export function escapeMrkdwn(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

export function clip(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

/** The Slack message for a run notification: a header, the figures as fields, the commands. */
export function renderSlack(notification: RunNotification): SlackContent {
  const title = headline(notification);
  const figures = figuresOf(notification);
  const cause = figures.find(([label]) => label === 'Cause');
  const fields = figures
    .filter(([label]) => label !== 'Cause')
    .slice(0, 10)
    .map(([label, value]) => ({
      type: 'mrkdwn' as const,
      text: clip(`*${label}*\n${escapeMrkdwn(value)}`, 2000),
    }));
  const blocks: SlackBlock[] = [
    {
      type: 'header',
      text: {
        type: 'plain_text',
        text: clip(
          `${notification.severity === 'high' ? HIGH_SEVERITY_ICON : ICONS[notification.outcome]} ${title}`,
          150,
        ),
      },
    },
    { type: 'section', fields },
  ];
  if (cause !== undefined) {
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: clip(`*Cause*\n${escapeMrkdwn(cause[1])}`, 3000) },
    });
  }
  if (notification.advice !== undefined) {
    const advice = notification.advice.map((line) => `• ${escapeMrkdwn(line)}`).join('\n');
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clip(advice, 3000) } });
  }
  if (notification.commands.length > 0) {
    const commands = notification.commands.map(escapeMrkdwn).join('\n');
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: `*What you can do*\n\`\`\`${commands}\`\`\`` },
    });
  }
  return Object.freeze({ text: `${title}: ${notification.status}`, blocks });
}
