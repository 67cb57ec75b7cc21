import { isAppError } from '@bq-sftp-export/runtime';

import type { CliIo } from './cli-context.js';
import { ExitCode, USAGE_INVALID } from './exit-codes.js';

/**
 * Prints an error for an operator: the message (AppError messages name fields, never secret
 * values), the code, and the chain of causes and stack only with `--verbose`. Returns the exit code.
 */
export function reportError(error: unknown, io: CliIo, verbose: boolean): ExitCode {
  if (isAppError(error)) {
    io.err(`error: ${error.message}${error.code === USAGE_INVALID ? '' : ` [${error.code}]`}`);
  } else {
    io.err(`error: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (verbose) {
    let current: unknown = error;
    while (current instanceof Error) {
      io.err(current.stack ?? current.message);
      current = current.cause;
      if (current !== undefined) io.err('caused by:');
    }
  } else if (!isAppError(error)) {
    io.err('(run with --verbose for details)');
  }
  return isAppError(error) && error.code === USAGE_INVALID ? ExitCode.usage : ExitCode.failure;
}
