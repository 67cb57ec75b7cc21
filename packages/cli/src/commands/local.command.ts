import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';

import type { Command } from 'commander';

import type { LocalCloudOptions, SetUpReport } from '@bq-sftp-export/local-cloud';
import { setUpLocalCloud, startLocalCloud } from '@bq-sftp-export/local-cloud';

import type { CliContext } from '../cli/cli-context.js';
import type { CommandRuntime } from '../cli/command-runtime.js';
import { printJson } from '../cli/command-runtime.js';
import { usageError } from '../cli/exit-codes.js';
import { positiveInteger } from '../cli/option-parsers.js';
import { waitForStop } from '../cli/wait-for-stop.js';

/** Ports of `local up --fixed-ports`: the emulators' usual ones where there is a usual one. */
export const FIXED_PORTS: NonNullable<LocalCloudOptions['ports']> = {
  pubsub: 8085,
  gcs: 4443,
  bigquery: 9050,
  sftp: 2222,
  smtp: 2525,
  slack: 3000,
};

const shellQuote = (value: string): string => `'${value.replace(/'/g, `'\\''`)}'`;

/** The config directory to seed from, when it holds the config. */
function configDirFor(env: CliContext['env'], configName: string): string | undefined {
  const source = env['CONFIG_SOURCE'] || 'configs';
  if (source.startsWith('gs://')) return undefined;
  return existsSync(path.join(source, `${configName}.json`)) ? source : undefined;
}

function printSetUp(context: CliContext, report: SetUpReport): void {
  context.io.err(
    `topology: ${report.topology.created.length} created, ${report.topology.existing.length} already there; ` +
      `bucket ${report.bucket.name} ${report.bucket.created ? 'created' : 'already there'}`,
  );
  for (const table of report.tables)
    context.io.err(
      `table ${table.table}: ${table.rows} rows${table.created ? ' (seeded)' : ' (already there)'}`,
    );
}

interface UpOptions {
  directory: string;
  seed?: boolean;
  fixedPorts?: boolean;
  config: string;
  rows?: number;
}

interface SetupOptions {
  seed?: boolean;
  config: string;
  rows?: number;
  json?: boolean;
}

export function registerLocal(program: Command, runtime: CommandRuntime): void {
  const local = program
    .command('local')
    .description('the embedded local cloud (no cloud account, no Docker)');

  local
    .command('up')
    .description('start the local cloud, set it up, print its environment and stay up until Ctrl-C')
    .option(
      '--directory <dir>',
      'state directory (buckets, DuckDB file, SFTP files, mail, host key)',
      '.local-cloud',
    )
    .option('--seed', "create and fill the config's seed tables")
    .option(
      '--fixed-ports',
      `listen on fixed ports (${Object.entries(FIXED_PORTS)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')})`,
    )
    .option('--config <name>', 'config whose seed tables and staging bucket to set up', 'default')
    .option('--rows <n>', 'rows per seeded table', positiveInteger)
    .action((options: UpOptions) =>
      runtime.run(async () => {
        const { context } = runtime;
        const cloud = await startLocalCloud({
          directory: options.directory,
          ...(options.fixedPorts ? { ports: FIXED_PORTS } : {}),
        });
        try {
          const configDir = configDirFor(context.env, options.config);
          printSetUp(
            context,
            await setUpLocalCloud(cloud, {
              seed: options.seed === true,
              configName: options.config,
              ...(configDir === undefined ? {} : { configDir }),
              ...(options.rows === undefined ? {} : { rowsPerTable: options.rows }),
            }),
          );
          const block = Object.entries(cloud.env())
            .map(([name, value]) => `export ${name}=${shellQuote(value)}`)
            .join('\n');
          const envFile = path.join(options.directory, 'local-cloud.env');
          // Holds the local SFTP password: readable by this user only.
          await writeFile(envFile, `${block}\n`, { mode: 0o600 });
          context.io.out(block);
          context.io.err(
            `local cloud is up (SFTP files in ${cloud.sftp.root}, mail in ${path.join(options.directory, 'mail')}); ` +
              `in another shell: source ${envFile}. Ctrl-C stops it.`,
          );
          await waitForStop(context.signal);
        } finally {
          await cloud.stop();
        }
        context.io.err('local cloud stopped');
        return 0;
      }),
    );

  local
    .command('setup')
    .description(
      'against running emulators named by PUBSUB_EMULATOR_HOST, STORAGE_EMULATOR_HOST and BIGQUERY_EMULATOR_HOST: create the topology, the staging bucket and (--seed) the seed tables',
    )
    .option('--seed', "create and fill the config's seed tables")
    .option('--config <name>', 'config whose seed tables and staging bucket to set up', 'default')
    .option('--rows <n>', 'rows per seeded table', positiveInteger)
    .option('--json', 'print what was done as JSON')
    .action((options: SetupOptions) =>
      runtime.run(async () => {
        const { context } = runtime;
        const missing = ['PUBSUB_EMULATOR_HOST', 'STORAGE_EMULATOR_HOST', 'BIGQUERY_EMULATOR_HOST'].filter(
          (name) => !context.env[name],
        );
        // Never seed generated rows into a real project.
        if (missing.length > 0) throw usageError(`local setup needs ${missing.join(', ')} (emulators only)`);
        const configDir = configDirFor(context.env, options.config);
        const report = await setUpLocalCloud(
          { env: () => context.env },
          {
            seed: options.seed === true,
            configName: options.config,
            ...(configDir === undefined ? {} : { configDir }),
            ...(options.rows === undefined ? {} : { rowsPerTable: options.rows }),
          },
        );
        if (options.json) printJson(context, report);
        else printSetUp(context, report);
        return 0;
      }),
    );
}
