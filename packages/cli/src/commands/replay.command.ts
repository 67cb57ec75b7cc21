import type { Command } from 'commander';

import { PubSubMessagePublisher } from '@bq-sftp-export/cloud';
import { Topology } from '@bq-sftp-export/contracts';

import type { CommandRuntime } from '../cli/command-runtime.js';
import { printJson } from '../cli/command-runtime.js';
import { usageError } from '../cli/exit-codes.js';
import { positiveInteger } from '../cli/option-parsers.js';
import { reportError } from '../cli/report-error.js';
import { openPubSubDeadLetterQueue } from '../replay/pubsub-dead-letter-queue.js';
import { replayDeadLetters } from '../replay/replay-dead-letters.js';

interface ReplayCommandOptions {
  subscription: string;
  limit?: number;
  dryRun?: boolean;
  json?: boolean;
}

export function registerReplay(program: Command, runtime: CommandRuntime): void {
  const subscriptions = Topology.map((entry) => entry.deadLetterSubscription);
  program
    .command('replay')
    .description(
      'move dead-lettered messages back to their topic; each is acked only after its republish succeeded',
    )
    .requiredOption('--subscription <name>', `dead-letter subscription: ${subscriptions.join(', ')}`)
    .option('--limit <n>', 'at most this many messages (default: all)', positiveInteger)
    .option('--dry-run', 'list the dead letters without republishing or acking anything')
    .option('--json', 'print the result as JSON')
    .action((options: ReplayCommandOptions) =>
      runtime.run(async () => {
        const { context } = runtime;
        const entry = Topology.find((candidate) => candidate.deadLetterSubscription === options.subscription);
        if (entry === undefined)
          throw usageError(
            `${options.subscription} is not a dead-letter subscription; expected one of ${subscriptions.join(', ')}`,
          );
        const { pubsub } = runtime.clients.get();
        const queue = await openPubSubDeadLetterQueue(pubsub, entry.deadLetterSubscription);
        const publisher = new PubSubMessagePublisher(pubsub);
        const verb = options.dryRun ? 'listed' : `replayed to ${entry.topic}`;
        try {
          const report = await replayDeadLetters({
            queue,
            republish: (topic, message) => publisher.publish(topic, message),
            topic: entry.topic,
            dryRun: options.dryRun === true,
            ...(options.limit === undefined ? {} : { limit: options.limit }),
            onProgress: (done, summary, newMessageId) =>
              context.io.err(
                `[${done}${options.limit === undefined ? '' : `/${options.limit}`}] ${verb}: ${summary.messageId}` +
                  ` ${summary.eventType ?? '?'} ${summary.correlationId ?? ''}` +
                  (newMessageId === undefined ? ` (${summary.cause})` : ` → ${newMessageId}`),
              ),
          });
          const failed = report.failed === undefined ? undefined : { messageId: report.failed.messageId };
          if (options.json)
            printJson(context, {
              subscription: entry.deadLetterSubscription,
              topic: entry.topic,
              dryRun: options.dryRun === true,
              replayed: report.replayed,
              messages: report.messages,
              ...(failed === undefined ? {} : { failed }),
            });
          else
            context.io.out(
              options.dryRun
                ? `${report.messages.length} dead letter(s) on ${entry.deadLetterSubscription} (nothing changed)`
                : `replayed ${report.replayed} message(s) from ${entry.deadLetterSubscription} to ${entry.topic}`,
            );
          if (report.failed !== undefined) {
            context.io.err(
              `stopped at ${report.failed.messageId}: it and the rest stay on ${entry.deadLetterSubscription}`,
            );
            reportError(report.failed.error, context.io, false);
            return 1;
          }
          return 0;
        } finally {
          await publisher.close().catch(() => undefined);
          await queue.close();
        }
      }),
    );
}
