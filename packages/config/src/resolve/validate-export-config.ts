import type { MessageProblem } from '@bq-sftp-export/contracts';
import { zodProblems } from '@bq-sftp-export/contracts';
import { AppError } from '@bq-sftp-export/runtime';

import { exportConfigSchema } from '../schema/export-config.schema.js';
import type { ExportConfig } from './export-config.js';
import { resolveExportConfig } from './resolve-export-config.js';

export const CONFIG_INVALID = 'CONFIG_INVALID';

/** Duplicate export names, read defensively from the raw JSON so they show up with other problems. */
function duplicateNameProblems(raw: unknown): MessageProblem[] {
  const exports = (raw as { exports?: unknown } | null)?.exports;
  if (!Array.isArray(exports)) return [];
  const first = new Map<string, number>();
  const problems: MessageProblem[] = [];
  exports.forEach((entry: unknown, index) => {
    const name = (entry as { name?: unknown } | null)?.name;
    if (typeof name !== 'string') return;
    const earlier = first.get(name);
    if (earlier === undefined) first.set(name, index);
    else
      problems.push({
        path: `exports[${index}].name`,
        message: `expected a unique name (exports[${earlier}] has it)`,
      });
  });
  return problems;
}

/** One error listing every problem, each with its JSON path and what is expected. */
export function configInvalidError(configName: string, problems: readonly MessageProblem[]): AppError {
  const lines = problems.map(
    (problem) => `  ${problem.path === '' ? '(root)' : problem.path}: ${problem.message}`,
  );
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  return new AppError(`config "${configName}" is invalid (${count}):\n${lines.join('\n')}`, {
    code: CONFIG_INVALID,
    retryable: false,
    details: { configName, problems: problems.map((problem) => ({ ...problem })) },
  });
}

/**
 * Validates a parsed config file and resolves its defaults. Throws `CONFIG_INVALID` listing
 * ALL problems at once; returns a deeply frozen `ExportConfig`.
 */
export function validateExportConfig(raw: unknown, configName: string): ExportConfig {
  const parsed = exportConfigSchema.safeParse(raw);
  const problems = [
    ...(parsed.success ? [] : zodProblems(parsed.error.issues)),
    ...duplicateNameProblems(raw),
  ];
  if (parsed.success) {
    const resolved = resolveExportConfig(parsed.data, configName);
    problems.push(...resolved.problems);
    if (problems.length === 0) return resolved.config;
  }
  throw configInvalidError(configName, problems);
}
