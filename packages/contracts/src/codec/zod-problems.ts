import type { z } from 'zod';

import type { MessageProblem } from '../errors/message-invalid.error.js';

/** `['exports', 1, 'source_table']` → `exports[1].source_table`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? String(segment) : `.${String(segment)}`;
  }
  return text;
}

/**
 * Zod issues as path + expectation, one problem per unknown key. Zod's own messages name the
 * expected type or options, never the received value (inputs are not reported).
 */
export function zodProblems(issues: readonly z.core.$ZodIssue[]): MessageProblem[] {
  return issues.flatMap((issue): MessageProblem[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: formatPath([...issue.path, key]),
        message: 'unknown field (check the spelling)',
      }));
    }
    return [{ path: formatPath(issue.path), message: issue.message }];
  });
}
