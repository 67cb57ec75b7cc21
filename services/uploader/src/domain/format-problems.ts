import { zodProblems } from '@bq-sftp-export/contracts';
import type { z } from 'zod';

/** zod issues as one line, `path: expectation; …` (never the values found). */
export function formatProblems(issues: readonly z.core.$ZodIssue[]): string {
  return zodProblems(issues)
    .map((problem) => `${problem.path === '' ? '(root)' : problem.path}: ${problem.message}`)
    .join('; ');
}
