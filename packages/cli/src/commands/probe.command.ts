import type { Command } from 'commander';

import { DEFAULT_DESTINATION, parseEnvironment, resolveSftpConnection } from '@bq-sftp-export/config';

import type { CommandRuntime } from '../cli/command-runtime.js';
import { printJson } from '../cli/command-runtime.js';
import { usageError } from '../cli/exit-codes.js';
import { loadCliConfig } from '../config/load-cli-config.js';
import { probeDestination } from '../probe/probe-destination.js';

interface ProbeOptions {
  config: string;
  json?: boolean;
}

export function registerProbe(program: Command, runtime: CommandRuntime): void {
  program
    .command('probe')
    .description(
      'connect to a destination, print its host-key fingerprint, check write, rename and delete in its directory',
    )
    .argument(
      '<destination>',
      `destination name in the config ("${DEFAULT_DESTINATION}": the seed's sftp block)`,
    )
    .option('--config <name>', 'config name or .json file', 'default')
    .option('--json', 'print the report as JSON')
    .action((destination: string, options: ProbeOptions) =>
      runtime.run(async () => {
        const { context } = runtime;
        const config = await loadCliConfig(options.config, context.env, runtime.clients);
        if (config.destinations[destination] === undefined)
          throw usageError(
            `config "${config.name}" has no destination "${destination}" (it has ${Object.keys(config.destinations).join(', ') || 'none'})`,
          );
        const resolved = resolveSftpConnection(config, destination, parseEnvironment(context.env));
        const report = await probeDestination({ ...resolved, name: destination });
        if (options.json) printJson(context, report);
        else {
          context.io.out(
            `destination ${report.destination}: ${report.username}@${report.host}:${report.port} ${report.directory}`,
          );
          if (report.hostKeyFingerprint !== undefined)
            context.io.out(
              `host key ${report.hostKeyFingerprint} (${report.hostKeyPinned ? 'pinned' : 'NOT pinned'})`,
            );
          for (const check of report.checks)
            context.io.out(`  ${check.ok ? 'ok  ' : 'FAIL'} ${check.name}: ${check.detail}`);
          context.io.out(report.ok ? 'probe passed' : 'probe failed');
        }
        return report.ok ? 0 : 1;
      }),
    );
}
