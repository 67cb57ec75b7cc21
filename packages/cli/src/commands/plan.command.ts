import type { Command } from 'commander';

import { instantFromMillis } from '@bq-sftp-export/export-domain';

import type { CommandRuntime } from '../cli/command-runtime.js';
import { printJson } from '../cli/command-runtime.js';
import { usageError } from '../cli/exit-codes.js';
import { instant } from '../cli/option-parsers.js';
import { runSelection } from '../cli/run-selection.js';
import { loadCliConfig } from '../config/load-cli-config.js';
import type { ExportPlan } from '../plan/plan-export.js';
import { planExport } from '../plan/plan-export.js';
import { stagingBucketOf } from '../resend/stored-file-ready.js';

interface PlanOptions {
  export?: string;
  full?: boolean;
  from?: string;
  to?: string;
  json?: boolean;
}

function describePlan(plan: ExportPlan): string[] {
  const lines = [
    `export ${plan.export} (${plan.sourceTable})`,
    `  checkpoint: ${plan.checkpointHigh ?? 'none (first run)'}${plan.runInProgress === null ? '' : `; run ${plan.runInProgress} holds the lease`}`,
    `  window (${plan.window.mode}): [${plan.window.low ?? 'beginning'}, ${plan.window.high})` +
      (plan.window.scanLow !== plan.window.low
        ? `, read from ${plan.window.scanLow ?? 'beginning'} (lookback)`
        : ''),
  ];
  if (plan.empty) return [...lines, '  empty window: nothing would be read'];
  return [
    ...lines,
    '  query:',
    ...plan.sql!.split('\n').map((line) => `    ${line}`),
    `  parameters: ${Object.entries(plan.params)
      .map(([name, value]) => `@${name} = TIMESTAMP '${value}'`)
      .join(', ')}`,
    `  bytes processed (dry run): ${plan.bytesProcessed ?? 'unknown'}`,
    `  rows: ${plan.rowCount}`,
    `  file: ${plan.fileName} → destination ${plan.destination}: ${plan.remotePath}`,
  ];
}

export function registerPlan(program: Command, runtime: CommandRuntime): void {
  program
    .command('plan')
    .description('what a run would do now, touching nothing: window, query, dry-run bytes, rows, file names')
    .argument('<config>', 'config name or .json file')
    .option('--export <name>', 'only this export')
    .option('--full', 'plan a full export')
    .option('--from <instant>', 'plan a backfill from this instant, with --to', instant)
    .option('--to <instant>', 'plan a backfill up to this instant (exclusive), with --from', instant)
    .option('--json', 'print the plans as JSON')
    .action((reference: string, options: PlanOptions) =>
      runtime.run(async () => {
        const { context } = runtime;
        const selection = runSelection(options);
        const config = await loadCliConfig(reference, context.env, runtime.clients);
        const entries = config.exports.filter(
          (entry) => options.export === undefined || entry.name === options.export,
        );
        if (entries.length === 0)
          throw usageError(
            `config "${config.name}" has no export ${options.export} (it has ${config.exports.map((e) => e.name).join(', ')})`,
          );
        const { bigquery, storage } = runtime.clients.get();
        const bucket = stagingBucketOf(config, context.env);
        const now = instantFromMillis(Date.now());
        const plans: ExportPlan[] = [];
        for (const entry of entries)
          plans.push(
            await planExport({ bigquery, storage }, config, entry, bucket, {
              now,
              ...selection,
            }),
          );
        if (options.json) printJson(context, { config: config.name, plans });
        else context.io.out(plans.flatMap(describePlan).join('\n'));
        return 0;
      }),
    );
}
