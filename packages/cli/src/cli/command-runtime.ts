import type { CliContext } from './cli-context.js';
import type { ExitCode } from './exit-codes.js';
import type { LazyClients } from './lazy-clients.js';

/** What a command's action gets: the context, the clients, and a way to set the exit code. */
export interface CommandRuntime {
  readonly context: CliContext;
  readonly clients: LazyClients;
  /** Runs an action; its exit code (or its error's) becomes the process's. */
  run(action: () => Promise<ExitCode>): Promise<void>;
}

/** Prints `value` as indented JSON on stdout (for `--json`). */
export function printJson(context: CliContext, value: unknown): void {
  context.io.out(JSON.stringify(value, null, 2));
}
