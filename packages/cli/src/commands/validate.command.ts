import type { Command } from 'commander';

import {
  CONFIG_INVALID,
  configInvalidError,
  exportConfigWarnings,
  secretEnvironment,
} from '@bq-sftp-export/config';
import { checkPgpKeys } from '@bq-sftp-export/pgp';
import { isAppError } from '@bq-sftp-export/runtime';

import type { CommandRuntime } from '../cli/command-runtime.js';
import { printJson } from '../cli/command-runtime.js';
import { loadCliConfig } from '../config/load-cli-config.js';

export function registerValidate(program: Command, runtime: CommandRuntime): void {
  program
    .command('validate')
    .description(
      'validate a config: every problem at once, each with its JSON path; warnings (exit 0) for file names that can repeat between runs',
    )
    .argument('<config>', 'a config name (read from CONFIG_SOURCE, default "configs") or a .json file')
    .option('--json', 'print the result as JSON')
    .action((reference: string, options: { json?: boolean }) =>
      runtime.run(async () => {
        const { context } = runtime;
        try {
          const config = await loadCliConfig(reference, context.env, runtime.clients);
          const warnings = exportConfigWarnings(config);
          // OpenPGP keys are read and checked here as the uploader does: those in variables set here.
          const keys = await checkPgpKeys(config, secretEnvironment(context.env));
          if (keys.problems.length > 0) throw configInvalidError(config.name, keys.problems);
          const summary = {
            valid: true,
            config: config.name,
            exports: config.exports.map((entry) => entry.name),
            destinations: Object.keys(config.destinations),
            warnings,
            ...(keys.unchecked.length === 0 ? {} : { pgp_keys_unchecked: keys.unchecked }),
          };
          if (options.json) printJson(context, summary);
          else {
            context.io.out(
              `config "${config.name}" is valid: ${summary.exports.length} export(s) (${summary.exports.join(', ')}), destination(s) ${summary.destinations.join(', ')}`,
            );
            for (const warning of warnings) context.io.err(`warning: ${warning.path}: ${warning.message}`);
            for (const key of keys.unchecked) {
              context.io.out(`  OpenPGP key not checked: ${key.path} (${key.variable} is not set here)`);
            }
          }
          return 0;
        } catch (error) {
          if (!options.json || !isAppError(error) || error.code !== CONFIG_INVALID) throw error;
          printJson(context, {
            valid: false,
            config: error.details['configName'],
            problems: error.details['problems'],
          });
          return 1;
        }
      }),
    );
}
