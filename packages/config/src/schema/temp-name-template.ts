import { fileNameProblem } from '@bq-sftp-export/contracts';

const TOKEN = /\{([^{}]*)\}/g;
const PLACEHOLDERS = new Set(['name', 'run_id']);

/**
 * Problems with a temporary-name template (`.{name}.part`): it must name the final file
 * (`{name}`), use only `{name}` and `{run_id}`, and stay one file name in the same directory;
 * unlike final names it may start with one `.` (hidden while uploading).
 */
export function tempNameProblems(template: string): string[] {
  const problems: string[] = [];
  const names = [...template.matchAll(TOKEN)].map((match) => match[1] ?? '');
  for (const name of names) {
    if (!PLACEHOLDERS.has(name)) problems.push(`unknown placeholder {${name}}; expected {name} or {run_id}`);
  }
  if (!names.includes('name')) problems.push('expected the {name} placeholder');
  const literal = template.replace(TOKEN, 'x');
  if (literal.includes('{') || literal.includes('}')) problems.push('expected balanced "{" and "}"');
  const problem = fileNameProblem(literal.startsWith('.') ? literal.slice(1) : literal);
  if (problem !== undefined) problems.push(problem);
  return problems;
}

/** The temporary name for a final file name. Both inputs are already validated. */
export function renderTempName(template: string, fileName: string, runId: string): string {
  return template.replace(TOKEN, (_token, placeholder: string) =>
    placeholder === 'name' ? fileName : runId,
  );
}
