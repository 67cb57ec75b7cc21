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
    // Duck-typed: errors from another realm (Node's fs inside Jest's VM) fail `instanceof Error`.
    let current: unknown = error;
    while (current !== undefined) {
      if (typeof current === 'object' && current !== null) {
        const { stack, message, cause } = current as { stack?: unknown; message?: unknown; cause?: unknown };
        io.err(
          typeof stack === 'string' ? stack : typeof message === 'string' ? message : JSON.stringify(current),
        );
        current = cause;
      } else {
        io.err(JSON.stringify(current));
        current = undefined;
      }
      if (current !== undefined) io.err('caused by:');
    }
  } else if (!isAppError(error)) {
    io.err('(run with --verbose for details)');
  }
  return isAppError(error) && error.code === USAGE_INVALID ? ExitCode.usage : ExitCode.failure;
}
