import { rename, rm, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';

import type { CommandRuntime } from '../cli/command-runtime.js';
import { usageError } from '../cli/exit-codes.js';
import { collect, positiveInteger } from '../cli/option-parsers.js';
import { waitForStop } from '../cli/wait-for-stop.js';
import { loadCliConfig } from '../config/load-cli-config.js';
import { parseInterval } from '../dashboard/freshness.js';
import { readHistorySnapshot } from '../dashboard/history-snapshot.js';
import { escapeHtml } from '../dashboard/html.js';
import type { Schedules } from '../dashboard/render-dashboard.js';
import { renderDashboard } from '../dashboard/render-dashboard.js';

interface DashboardOptions {
  config: string;
  out?: string;
  serve?: boolean;
  port: number;
  host: string;
  days: number;
  limit: number;
  every: number;
  grace: number;
  everyExport?: string[];
}

function interval(value: string): number {
  const ms = parseInterval(value);
  if (ms === undefined) throw new InvalidArgumentError('expected an interval such as 90m, 6h or 1d');
  return ms;
}

function port(value: string): number {
  const parsed = Number(value);
  if (!/^[0-9]+$/.test(value) || parsed > 65_535) throw new InvalidArgumentError('expected a port, 0-65535');
  return parsed;
}

function schedules(options: DashboardOptions, exportNames: readonly string[]): Schedules {
  const byExport: Record<string, { everyMs: number; graceMs: number }> = {};
  for (const entry of options.everyExport ?? []) {
    const [name = '', value = ''] = entry.split('=', 2);
    const everyMs = parseInterval(value);
    if (!entry.includes('=') || everyMs === undefined)
      throw usageError(`--every-export ${entry}: expected <export>=<interval>, e.g. orders=6h`);
    if (!exportNames.includes(name))
      throw usageError(`--every-export ${entry}: the config has no export ${name}`);
    byExport[name] = { everyMs, graceMs: options.grace };
  }
  return { default: { everyMs: options.every, graceMs: options.grace }, byExport };
}

export function registerDashboard(program: Command, runtime: CommandRuntime): void {
  program
    .command('dashboard')
    .description('a self-contained HTML page of the history views: runs, failures, freshness, latest files')
    .option('--config <name>', 'config (its metadata_table names the history table)', 'default')
    .option('--out <file>', 'write the page to this file')
    .option('--serve', 'serve the page on a local port, read afresh on every request, until Ctrl-C')
    .option('--port <n>', 'port for --serve (0: any free port)', port, 8765)
    .option('--host <address>', 'address for --serve', '127.0.0.1')
    .option('--days <n>', 'runs and failures of the last n days', positiveInteger, 30)
    .option('--limit <n>', 'at most this many runs and this many failures', positiveInteger, 500)
    .addOption(
      new Option('--every <interval>', "the exports' schedule interval, for freshness")
        .argParser(interval)
        .default(86_400_000, '24h'),
    )
    .addOption(
      new Option('--grace <interval>', 'how late a success may be before the export is late')
        .argParser(interval)
        .default(7_200_000, '2h'),
    )
    .option('--every-export <export=interval>', "one export's own schedule (repeatable)", collect)
    .action((options: DashboardOptions) =>
      runtime.run(async () => {
        const { context } = runtime;
        if ((options.out === undefined) === (options.serve !== true))
          throw usageError('give either --out <file> or --serve');
        const config = await loadCliConfig(options.config, context.env, runtime.clients);
        const schedule = schedules(
          options,
          config.exports.map((entry) => entry.name),
        );
        const page = async (): Promise<string> => {
          const now = new Date();
          const snapshot = await readHistorySnapshot(runtime.clients, config, {
            now,
            since: new Date(now.getTime() - options.days * 86_400_000),
            limit: options.limit,
          });
          return renderDashboard(snapshot, schedule);
        };
        if (options.out !== undefined) {
          const markup = await page();
          // Written beside the target and renamed: a reader never sees half a page.
          const temporary = `${options.out}.${process.pid}.tmp`;
          try {
            await writeFile(temporary, markup, { mode: 0o644 });
            await rename(temporary, options.out);
          } catch (error) {
            await rm(temporary, { force: true });
            throw error;
          }
          context.io.out(`wrote ${options.out} (${Buffer.byteLength(markup)} bytes)`);
          return 0;
        }
        const server = createServer((request: IncomingMessage, response: ServerResponse) => {
          void answer(request, response, page, (text) => context.io.err(text));
        });
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen(options.port, options.host, resolve);
        });
        const address = server.address() as AddressInfo;
        const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
        context.io.out(`dashboard at http://${host}:${address.port}/ (Ctrl-C to stop)`);
        await waitForStop(context.signal);
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        context.io.err('dashboard stopped');
        return 0;
      }),
    );
}

/** GET / is the page, read now; a failed read is a 500 naming the error (never a stack). */
async function answer(
  request: IncomingMessage,
  response: ServerResponse,
  page: () => Promise<string>,
  log: (text: string) => void,
): Promise<void> {
  const headers = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { ...headers, allow: 'GET, HEAD' }).end();
    return;
  }
  if (request.url !== '/' && request.url !== '/index.html') {
    response.writeHead(404, { ...headers, 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
    return;
  }
  try {
    const markup = await page();
    response
      .writeHead(200, { ...headers, 'content-type': 'text/html; charset=utf-8' })
      .end(request.method === 'HEAD' ? undefined : markup);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const code = (error as { code?: unknown }).code;
    log(`dashboard: reading the history failed: ${message}${typeof code === 'string' ? ` [${code}]` : ''}`);
    response
      .writeHead(500, { ...headers, 'content-type': 'text/html; charset=utf-8' })
      .end(
        `<!doctype html><meta charset="utf-8"><title>error</title><p>Reading the history failed: ${escapeHtml(message)}</p>`,
      );
  }
}
