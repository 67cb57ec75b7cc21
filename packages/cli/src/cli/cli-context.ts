/** Where a command writes: stdout for data, stderr for progress and errors. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

/** What every command runs with; tests pass their own. */
export interface CliContext {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly io: CliIo;
  /** Ends long-running commands (`local up`); absent: SIGINT/SIGTERM do. */
  readonly signal?: AbortSignal;
}

/** The real process: its environment, stdout and stderr. */
export function processContext(): CliContext {
  return {
    env: process.env,
    io: {
      out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
      err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    },
  };
}
