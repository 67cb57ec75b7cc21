import type { NotificationSecrets } from '@bq-sftp-export/config';

import type { EmailContent } from '../domain/render-email.js';
import type { SlackContent } from '../domain/render-slack.js';
import type { EmailSender, SlackSender } from './ports/notifiers.js';

/**
 * Sends one message on one channel with the config's secrets: the email or the Slack rendering,
 * each rendered only for its channel. Throws when the channel has no secrets.
 */
export async function sendOnChannel(
  senders: { readonly email: EmailSender; readonly slack: SlackSender },
  channel: 'email' | 'slack',
  content: { readonly email: () => EmailContent; readonly slack: () => SlackContent },
  secrets: NotificationSecrets,
  signal: AbortSignal,
): Promise<void> {
  if (channel === 'email') {
    if (secrets.email === undefined) throw new Error('email not configured');
    await senders.email.send(content.email(), secrets.email, signal);
  } else {
    if (secrets.slack === undefined) throw new Error('slack not configured');
    await senders.slack.post(content.slack(), secrets.slack.webhookUrl, signal);
  }
}
