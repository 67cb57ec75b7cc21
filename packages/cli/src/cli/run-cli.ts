import { Command, CommanderError } from 'commander';

import { registerDashboard } from '../commands/dashboard.command.js';
import { registerHistory } from '../commands/history.command.js';
import { registerLocal } from '../commands/local.command.js';
import { registerPlan } from '../commands/plan.command.js';
import { registerProbe } from '../commands/probe.command.js';
import { registerReplay } from '../commands/replay.command.js';
import { registerResend } from '../commands/resend.command.js';
import { registerTrigger } from '../commands/trigger.command.js';
import { registerValidate } from '../commands/validate.command.js';
import type { CliContext } from './cli-context.js';
import type { CommandRuntime } from './command-runtime.js';
import type { ExitCode } from './exit-codes.js';
import { ExitCode as Exit } from './exit-codes.js';
import { LazyClients } from './lazy-clients.js';
import { reportError } from './report-error.js';

/** Builds the `bq-sftp` program; actions report their exit code through `setExitCode`. */
export function buildProgram(
  context: CliContext,
  clients: LazyClients,
  setExitCode: (code: ExitCode) => void,
): Command {
  const program = new Command('bq-sftp')
    .description(
      'Operate bq-sftp-export: validate and plan configs, trigger exports, replay dead letters, resend files, probe SFTP destinations, read the history and its dashboard, run the local cloud.',
    )
    .option('--verbose', 'print error causes and stacks')
    .exitOverride()
    .configureOutput({ writeOut: (text) => context.io.out(text), writeErr: (text) => context.io.err(text) })
    .showHelpAfterError('(add --help for usage)');
  const runtime: CommandRuntime = {
    context,
    clients,
    async run(action) {
      try {
        setExitCode(await action());
      } catch (error) {
        setExitCode(reportError(error, context.io, program.opts<{ verbose?: boolean }>().verbose === true));
      }
    },
  };
  registerValidate(program, runtime);
  registerPlan(program, runtime);
  registerTrigger(program, runtime);
  registerReplay(program, runtime);
  registerResend(program, runtime);
  registerProbe(program, runtime);
  registerHistory(program, runtime);
  registerDashboard(program, runtime);
  registerLocal(program, runtime);
  return program;
}

/**
 * Runs `bq-sftp` with the arguments after the program name; resolves with the exit code:
 * 0 ok, 1 failure, 2 usage.
 */
export async function runCli(args: readonly string[], context: CliContext): Promise<ExitCode> {
  const clients = new LazyClients(context.env);
  let exitCode: ExitCode = Exit.ok;
  const program = buildProgram(context, clients, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...args], { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    exitCode =
      error.code === 'commander.helpDisplayed' || error.code === 'commander.version' ? Exit.ok : Exit.usage;
  } finally {
    await clients.close();
  }
  return exitCode;
}
