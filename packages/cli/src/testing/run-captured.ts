import type { CliContext } from '../cli/cli-context.js';
import { runCli } from '../cli/run-cli.js';

export interface CapturedRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Runs `bq-sftp <args>` in-process with the given environment, capturing stdout and stderr. */
export async function runCaptured(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  options: { signal?: AbortSignal; onOut?: (text: string) => void } = {},
): Promise<CapturedRun> {
  let out = '';
  let err = '';
  const context: CliContext = {
    env,
    io: {
      out: (text) => {
        out += text.endsWith('\n') ? text : `${text}\n`;
        options.onOut?.(out);
      },
      err: (text) => {
        err += text.endsWith('\n') ? text : `${text}\n`;
      },
    },
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  };
  const code = await runCli(args, context);
  return { code, out, err };
}
