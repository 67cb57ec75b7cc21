import { fileNameProblem } from '@bq-sftp-export/contracts';
import { instantFromMillis, zonedFields } from '@bq-sftp-export/export-domain';
import { AppError } from '@bq-sftp-export/runtime';

export const FILE_NAME_INVALID = 'FILE_NAME_INVALID';

function fileNameInvalid(message: string): AppError {
  return new AppError(message, { code: FILE_NAME_INVALID, retryable: false });
}

/** Placeholders a `destination_filename` may use, with what each renders to. */
export const FILE_NAME_PLACEHOLDERS = {
  /** The seed's placeholder: run start as `YYYYMMDD_HHmmss` in `file_name_time_zone`. */
  datetime: 'YYYYMMDD_HHmmss',
  date: 'YYYYMMDD',
  time: 'HHmmss',
  export: 'the export name',
  run_id: 'the run id',
  /** Window bounds as `YYYYMMDDTHHmmssZ` (UTC); `beginning` when the window has no lower bound. */
  window_start: 'YYYYMMDDTHHmmssZ or "beginning"',
  window_end: 'YYYYMMDDTHHmmssZ',
} as const;

export type FileNamePlaceholder = keyof typeof FILE_NAME_PLACEHOLDERS;

const TOKEN = /\{([^{}]*)\}/g;
/** A stand-in for every placeholder when checking what a template can produce. */
const SAMPLE = 'x';

function isPlaceholder(name: string): name is FileNamePlaceholder {
  return Object.hasOwn(FILE_NAME_PLACEHOLDERS, name);
}

/**
 * What is wrong with a file name template, or an empty list: unknown placeholders (named),
 * unbalanced braces, and anything the rendered name could hold that escapes the directory.
 * Placeholder values themselves are safe by construction (digits, names, ids).
 */
export function fileNameTemplateProblems(template: string): string[] {
  const problems: string[] = [];
  for (const match of template.matchAll(TOKEN)) {
    const name = match[1] ?? '';
    if (!isPlaceholder(name)) {
      const known = Object.keys(FILE_NAME_PLACEHOLDERS)
        .map((key) => `{${key}}`)
        .join(', ');
      problems.push(`unknown placeholder {${name}}; expected one of ${known}`);
    }
  }
  const literal = template.replace(TOKEN, SAMPLE);
  if (literal.includes('{') || literal.includes('}')) problems.push('expected balanced "{" and "}"');
  const problem = fileNameProblem(literal);
  if (problem !== undefined) problems.push(problem);
  return problems;
}

export interface FileNameValues {
  /** The run's fixed start instant. */
  readonly runStartedAt: Date;
  readonly timeZone: string;
  readonly exportName: string;
  readonly runId: string;
  readonly windowStart?: Date;
  readonly windowEnd: Date;
}

/** `YYYYMMDDTHHmmssZ` (UTC), as window placeholders render. */
export function compactUtc(instant: Date): string {
  return `${instant.toISOString().slice(0, 19).replaceAll('-', '').replaceAll(':', '')}Z`;
}

/** Renders a validated template; throws `FILE_NAME_INVALID` if the result is not a safe file name. */
export function renderFileName(template: string, values: FileNameValues): string {
  const local = zonedFields(instantFromMillis(values.runStartedAt.getTime()), values.timeZone);
  const date = `${local.year}${local.month}${local.day}`;
  const time = `${local.hour}${local.minute}${local.second}`;
  const rendered: Record<FileNamePlaceholder, string> = {
    datetime: `${date}_${time}`,
    date,
    time,
    export: values.exportName,
    run_id: values.runId,
    window_start: values.windowStart === undefined ? 'beginning' : compactUtc(values.windowStart),
    window_end: compactUtc(values.windowEnd),
  };
  const name = template.replace(TOKEN, (token, placeholder: string) => {
    if (!isPlaceholder(placeholder))
      throw fileNameInvalid(`unknown placeholder ${token} in a file name template`);
    return rendered[placeholder];
  });
  const problem = fileNameProblem(name);
  if (problem !== undefined) throw fileNameInvalid(`rendered file name is unsafe: ${problem}`);
  return name;
}
