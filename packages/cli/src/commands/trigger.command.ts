import type { Command } from 'commander';

import { PubSubMessagePublisher } from '@bq-sftp-export/cloud';
import type { ExportRequestedInput } from '@bq-sftp-export/contracts';
import { encodeMessage, Topics } from '@bq-sftp-export/contracts';

import type { CommandRuntime } from '../cli/command-runtime.js';
import { printJson } from '../cli/command-runtime.js';
import { usageError } from '../cli/exit-codes.js';
import { operatorId } from '../cli/operator-id.js';
import { collect, instant } from '../cli/option-parsers.js';
import { runSelection } from '../cli/run-selection.js';
import { loadCliConfig } from '../config/load-cli-config.js';

interface TriggerOptions {
  config: string;
  export: string[];
  full?: boolean;
  from?: string;
  to?: string;
  requestId?: string;
  json?: boolean;
}

export function registerTrigger(program: Command, runtime: CommandRuntime): void {
  program
    .command('trigger')
    .description("publish export.requested: run a config's exports now (as the scheduler does)")
    .option('--config <name>', 'config name (or .json file; the request carries its name)', 'default')
    .option('--export <name>', 'only this export (repeatable); default: all of them', collect, [])
    .option('--full', 'export the whole table, ignoring the watermark')
    .option('--from <instant>', 'backfill rows from this instant (inclusive), with --to', instant)
    .option('--to <instant>', 'backfill rows up to this instant (exclusive), with --from', instant)
    .option('--request-id <id>', 'request id (default: generated)')
    .option('--json', 'print the published message as JSON')
    .action((options: TriggerOptions) =>
      runtime.run(async () => {
        const { context } = runtime;
        const selection = runSelection(options);
        const config = await loadCliConfig(options.config, context.env, runtime.clients);
        const known = new Set(config.exports.map((entry) => entry.name));
        const unknown = options.export.filter((name) => !known.has(name));
        if (unknown.length > 0)
          throw usageError(
            `config "${config.name}" has no export ${unknown.join(', ')} (it has ${[...known].join(', ')})`,
          );
        const request: ExportRequestedInput = {
          config: config.name,
          requestId: options.requestId ?? operatorId('cli'),
          ...(options.export.length > 0 ? { exports: options.export } : {}),
          ...selection,
        };
        const message = encodeMessage('export.requested', request);
        const publisher = new PubSubMessagePublisher(runtime.clients.get().pubsub);
        const messageId = await publisher.publish(Topics.exportRequests, message);
        await publisher.close();
        const published = JSON.parse(message.data.toString('utf8')) as unknown;
        if (options.json) printJson(context, { topic: Topics.exportRequests, messageId, request: published });
        else {
          context.io.out(`published export.requested to ${Topics.exportRequests}: message ${messageId}`);
          context.io.out(JSON.stringify(published));
        }
        return 0;
      }),
    );
}
