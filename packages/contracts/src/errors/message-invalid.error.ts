import { AppError } from '@bq-sftp-export/runtime';

/** Code of every error raised when a message fails its contract. Never retryable. */
export const MESSAGE_INVALID = 'MESSAGE_INVALID';

export interface MessageProblem {
  /** Field path, e.g. `gcs.generation` or `exports[1]`; empty for the whole message. */
  readonly path: string;
  /** What was expected; never the value received. */
  readonly message: string;
}

/**
 * A message that breaks its contract: `file.ready: gcs.generation: expected a string of digits`.
 * The message names field paths and expectations only, never payload values.
 */
export function messageInvalidError(kind: string, problems: readonly MessageProblem[]): AppError {
  const text = problems.map((problem) =>
    problem.path === '' ? problem.message : `${problem.path}: ${problem.message}`,
  );
  return new AppError(`${kind}: ${text.join('; ')}`, {
    code: MESSAGE_INVALID,
    retryable: false,
    details: { messageKind: kind, problems: problems.map((problem) => ({ ...problem })) },
  });
}
