import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { isPollTimeout, pollUntil } from '@bq-sftp-export/testing';

import { openEventTap } from '../stack/event-tap.js';
import type { EventTap } from '../stack/event-tap.js';
import { DEMO_CONFIG_NAME, startDemoStack } from '../stack/demo-stack.js';
import type { DemoStack } from '../stack/demo-stack.js';
import { requestAndFollow } from '../stack/export-run.js';
import { queryHistory } from '../summary/history.js';
import type { HistoryRow } from '../summary/history.js';
import { renderSummary } from '../summary/render-summary.js';
import { keepRunningText } from './keep-running-text.js';

export interface DemoOptions {
  readonly repoRoot: string;
  /** `.local-cloud` of the repository: state, configs, logs. Emptied at the start (the SFTP host key stays). */
  readonly directory: string;
  /** After the export, keep everything running until SIGINT/SIGTERM. */
  readonly keep: boolean;
  readonly timeoutMs: number;
  readonly rowsPerTable: number;
  readonly print: (line: string) => void;
  /** Resolves when the user asks to stop (keep mode). */
  readonly stopRequested: () => Promise<void>;
}

/** What is left in `.local-cloud` from an earlier run that a fresh demo must not see. */
const STATE = [
  'gcs',
  'bigquery.duckdb',
  'bigquery.duckdb.wal',
  'sftp',
  'mail',
  'slack',
  'logs',
  'configs',
  'traces.jsonl',
];

/**
 * The main job: a real export on the local cloud. Returns the process exit code: 0 when every
 * export was delivered (or had nothing new), 1 on a failure or a timeout.
 */
export async function runDemo(options: DemoOptions): Promise<number> {
  const { print } = options;
  for (const entry of STATE) await rm(path.join(options.directory, entry), { recursive: true, force: true });
  await mkdir(options.directory, { recursive: true });
  print(`Starting the local cloud in ${options.directory} and the three services…`);
  let stack: DemoStack | undefined;
  let tap: EventTap | undefined;
  try {
    stack = await startDemoStack({
      repoRoot: options.repoRoot,
      directory: options.directory,
      persistent: true,
      rowsPerTable: options.rowsPerTable,
    });
    for (const table of stack.setUp.tables) print(`seeded ${table.table}: ${table.rows} rows`);
    for (const service of stack.services())
      print(`${service.name} running (pid ${service.pid}), log ${service.logFile}`);
    const configFile = path.join(stack.configDirectory, `${DEMO_CONFIG_NAME}.json`);
    print(`config: ${configFile} (configs/default.json with the local notification sinks)`);

    const running = stack;
    tap = await openEventTap(stack.clients.pubsub);
    const exportNames = stack.config.exports.map((entry) => entry.name);
    print(`publishing {"config": "${DEMO_CONFIG_NAME}"} to export-requests`);
    const { progress, settled } = await requestAndFollow(
      stack.clients.pubsub,
      tap,
      { config: DEMO_CONFIG_NAME },
      {
        exportNames,
        timeoutMs: options.timeoutMs,
        onLine: (line) => print(`  ${line}`),
        services: () => running.services(),
      },
    );
    if (!settled || progress.failures().length > 0) {
      for (const failure of progress.failures()) {
        print(
          `FAILED ${failure.exportName} (${failure.error?.step}): ${failure.error?.code}: ${failure.error?.message}`,
        );
      }
      if (!settled) {
        const waiting = progress
          .exports()
          .filter((entry) => !['delivered', 'empty', 'skipped', 'failed'].includes(entry.step));
        print(
          `timed out after ${options.timeoutMs / 1000} s; still waiting for: ${waiting.map((entry) => `${entry.exportName} (${entry.step})`).join(', ')}`,
        );
      }
      print(`service logs: ${stack.logDirectory}`);
      print(`traces (one JSON span a line): ${stack.traceFile}`);
      return 1;
    }

    // tracker-notifier writes the history and sends the notifications after the events; wait for them.
    const runIds = new Set(progress.runIds());
    const notifications = stack.config.notifications;
    const channels =
      (notifications.email === undefined ? 0 : 1) + (notifications.slack === undefined ? 0 : 1);
    const wanted = notifications.onSuccess ? channels * exportNames.length : 0;
    const metadataTable = stack.config.metadataTable;
    const bigquery = stack.clients.bigquery;
    const history = await pollUntil(
      async () => {
        const rows = (await queryHistory(bigquery, metadataTable, DEMO_CONFIG_NAME)).filter(
          (row) => row.run_id !== null && runIds.has(row.run_id),
        );
        const settledRows = rows.filter((row) => row.export_status === 'success').length;
        const notified = rows.filter((row) => row.event_type?.startsWith('notification.') === true).length;
        return settledRows >= exportNames.length && notified >= wanted ? rows : undefined;
      },
      { describe: 'the history rows and notifications', timeoutMs: 60_000, intervalMs: 500 },
    ).catch((error: unknown): HistoryRow[] => {
      // As before: the summary is printed without the missing rows; the demo does not fail on it.
      if (isPollTimeout(error)) return [];
      throw error;
    });

    const slackFile = path.join(options.directory, 'slack', 'posts.json');
    const posts = stack.cloud.slack.posts();
    if (posts.length > 0) {
      await mkdir(path.dirname(slackFile), { recursive: true });
      await writeFile(
        slackFile,
        `${JSON.stringify(
          posts.map((post) => post.payload),
          null,
          2,
        )}\n`,
      );
    }
    for (const line of renderSummary({
      exports: progress.exports(),
      remoteDirectory: stack.remoteDirectory,
      deliveryDirectory: stack.deliveryDirectory,
      history,
      historyTable: metadataTable,
      emails: { count: stack.cloud.smtp.messages().length, directory: path.join(options.directory, 'mail') },
      slack: { count: posts.length, file: posts.length > 0 ? slackFile : undefined },
      logDirectory: stack.logDirectory,
    }))
      print(line);

    if (options.keep) {
      await writeFile(path.join(options.directory, 'demo.env'), keepRunningText(stack, 'env'), {
        mode: 0o600,
      });
      const example = progress
        .exports()
        .find((entry) => entry.step === 'delivered' && entry.runId !== undefined);
      print(
        keepRunningText(
          stack,
          'instructions',
          example === undefined ? undefined : { runId: example.runId!, exportName: example.exportName },
        ),
      );
      await options.stopRequested();
    }
    print('');
    print('Stopping the services and the local cloud.');
    return 0;
  } finally {
    await tap?.close().catch(() => undefined);
    await stack?.stop();
  }
}
