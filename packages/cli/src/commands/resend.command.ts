import { randomUUID } from 'node:crypto';

import type { Command } from 'commander';

import { PubSubMessagePublisher } from '@bq-sftp-export/cloud';
import { encodeMessage, opaqueIdSchema, nameSchema, Topics } from '@bq-sftp-export/contracts';

import type { CommandRuntime } from '../cli/command-runtime.js';
import { printJson } from '../cli/command-runtime.js';
import { usageError } from '../cli/exit-codes.js';
import { operatorId } from '../cli/operator-id.js';
import { loadCliConfig } from '../config/load-cli-config.js';
import { readStoredFileReady, stagingBucketOf } from '../resend/stored-file-ready.js';

interface ResendOptions {
  run: string;
  export?: string;
  config: string;
  json?: boolean;
}

export function registerResend(program: Command, runtime: CommandRuntime): void {
  program
    .command('resend')
    .description("deliver a run's files again: republish its file.ready events as resends")
    .requiredOption('--run <runId>', 'the run whose files to deliver again')
    .option('--export <name>', "only this export's file (default: every file of the run)")
    .option('--config <name>', 'config (for the staging bucket and prefix)', 'default')
    .option('--json', 'print the published events as JSON')
    .action((options: ResendOptions) =>
      runtime.run(async () => {
        const { context } = runtime;
        if (!opaqueIdSchema.safeParse(options.run).success) throw usageError('--run: not a run id');
        if (options.export !== undefined && !nameSchema.safeParse(options.export).success)
          throw usageError('--export: not an export name');
        const config = await loadCliConfig(options.config, context.env, runtime.clients);
        const { storage, pubsub } = runtime.clients.get();
        const originals = await readStoredFileReady(storage, {
          bucket: stagingBucketOf(config, context.env),
          prefix: config.staging.prefix,
          runId: options.run,
          ...(options.export === undefined ? {} : { exportName: options.export }),
        });
        const resendId = operatorId('resend');
        const publisher = new PubSubMessagePublisher(pubsub);
        const published = [];
        try {
          for (const original of originals) {
            const resend = { ...original, eventId: randomUUID(), resendOf: original.eventId, resendId };
            const messageId = await publisher.publish(Topics.fileReady, encodeMessage('file.ready', resend));
            published.push({
              messageId,
              exportName: resend.exportName,
              fileName: resend.fileName,
              remoteDirectory: resend.remoteDirectory,
              eventId: resend.eventId,
              resendOf: resend.resendOf,
              resendId,
            });
            if (!options.json)
              context.io.out(
                `resent ${resend.exportName}: ${resend.remoteDirectory}/${resend.fileName} (file.ready ${resend.eventId}, resend of ${resend.resendOf}) message ${messageId}`,
              );
          }
        } finally {
          await publisher.close();
        }
        if (options.json) printJson(context, { runId: options.run, resendId, published });
        else
          context.io.out(
            `resend ${resendId}: ${published.length} file(s) republished to ${Topics.fileReady}`,
          );
        return 0;
      }),
    );
}
