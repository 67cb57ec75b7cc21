import type { Command } from 'commander';

import { AppError } from '@bq-sftp-export/runtime';

import type { CommandRuntime } from '../cli/command-runtime.js';
import { printJson } from '../cli/command-runtime.js';
import { positiveInteger } from '../cli/option-parsers.js';
import { loadCliConfig } from '../config/load-cli-config.js';
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

/** BigQuery timestamps arrive as `{ value: '…' }` objects; show them as their ISO text. */
function plain(value: unknown): unknown {
  if (value !== null && typeof value === 'object' && 'value' in value) return value.value;
  return value;
}

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
        let rows: unknown[];
        try {
          [rows] = await runtime.clients.get().bigquery.query({
            query,
            params: {
              config: config.name,
              ...(options.export === undefined ? {} : { export: options.export }),
            },
          });
        } catch (error) {
          if ((error as { code?: unknown }).code !== 404) throw error;
          throw new AppError(
            `${view} not found: tracker-notifier creates the history views the first time it records an event`,
            { code: 'HISTORY_NOT_FOUND', retryable: false, cause: error },
          );
        }
        const records = (rows as Record<string, unknown>[]).map((row) =>
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
