import type { Command } from 'commander';

import type { CommandRuntime } from '../cli/command-runtime.js';
import { printJson } from '../cli/command-runtime.js';
import { positiveInteger } from '../cli/option-parsers.js';
import { loadCliConfig } from '../config/load-cli-config.js';
import { plain, queryHistoryView } from '../history/query-history.js';
import { renderTable } from '../output/print-table.js';

interface HistoryOptions {
  config: string;
  export?: string;
  limit: number;
  json?: boolean;
}

const COLUMNS = [
  'export_name',
  'run_id',
  'export_status',
  'last_event_type',
  'rows_exported',
  'file_name',
  'window_high',
  'last_event_at',
  'error_code',
] as const;

export function registerHistory(program: Command, runtime: CommandRuntime): void {
  program
    .command('history')
    .description("recent runs from the history table's <metadata_table>_runs view, newest first")
    .option('--config <name>', 'config (its metadata_table names the history table)', 'default')
    .option('--export <name>', 'only this export')
    .option('--limit <n>', 'at most this many runs', positiveInteger, 20)
    .option('--json', 'print the rows as JSON')
    .action((options: HistoryOptions) =>
      runtime.run(async () => {
        const { context } = runtime;
        const config = await loadCliConfig(options.config, context.env, runtime.clients);
        // metadata_table is a validated identifier ([project.]dataset.table); values are parameters.
        const view = `${config.metadataTable}_runs`;
        const query =
          `SELECT ${COLUMNS.join(', ')} FROM \`${view}\`` +
          ` WHERE config_name = @config${options.export === undefined ? '' : ' AND export_name = @export'}` +
          ` ORDER BY last_event_at DESC, run_id DESC LIMIT ${options.limit}`;
        const rows = await queryHistoryView(runtime.clients, view, query, {
          config: config.name,
          ...(options.export === undefined ? {} : { export: options.export }),
        });
        const records = rows.map((row) =>
          Object.fromEntries(COLUMNS.map((column) => [column, plain(row[column])])),
        );
        if (options.json) printJson(context, records);
        else if (records.length === 0) context.io.out(`no runs in ${view}`);
        else
          context.io.out(
            renderTable(
              COLUMNS,
              records.map((record) => COLUMNS.map((column) => record[column])),
            ),
          );
        return 0;
      }),
    );
}
