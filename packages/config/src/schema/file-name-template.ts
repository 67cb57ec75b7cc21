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
  /** Run start to the millisecond, same zone as `{datetime}`: `YYYYMMDD_HHmmssSSS`. */
  datetime_ms: 'YYYYMMDD_HHmmssSSS',
  date: 'YYYYMMDD',
  time: 'HHmmss',
  time_ms: 'HHmmssSSS',
  export: 'the export name',
  /** `YYYYMMDDTHHmmssZ-<12 hex>`: distinct per request, kept by a redelivery of the same one. */
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

/**
 * Placeholders whose value differs between two runs of one export started in the same second:
 * the run id, and the run start to the millisecond.
 */
const PER_RUN_PLACEHOLDERS: readonly FileNamePlaceholder[] = ['run_id', 'datetime_ms', 'time_ms'];

/** Whether two runs of one export always render different names (see `PER_RUN_PLACEHOLDERS`). */
export function templateDiffersPerRun(template: string): boolean {
  return [...template.matchAll(TOKEN)].some((match) =>
    PER_RUN_PLACEHOLDERS.includes(match[1] as FileNamePlaceholder),
  );
}

/**
 * Length of the run ids the extractor makes (`YYYYMMDDTHHmmssZ-` and 12 hex digits); the
 * extractor's tests hold its run ids to it.
 */
export const RUN_ID_LENGTH = 29;

/**
 * The longest name a template can render for an export: every placeholder at its widest
 * (`{window_start}` as a timestamp rather than `beginning`, a full-length run id).
 */
export function widestFileName(template: string, exportName: string): string {
  const widest: Record<FileNamePlaceholder, string> = {
    datetime: '00000000_000000',
    datetime_ms: '00000000_000000000',
    date: '00000000',
    time: '000000',
    time_ms: '000000000',
    export: exportName,
    run_id: widestRunId(),
    window_start: '00000000T000000Z',
    window_end: '00000000T000000Z',
  };
  return substitute(template, widest);
}

/** A stand-in run id of the widest length. */
export function widestRunId(): string {
  return '0'.repeat(RUN_ID_LENGTH);
}

function substitute(template: string, rendered: Record<FileNamePlaceholder, string>): string {
  return template.replace(TOKEN, (token, placeholder: string) => {
    if (!isPlaceholder(placeholder))
      throw fileNameInvalid(`unknown placeholder ${token} in a file name template`);
    return rendered[placeholder];
  });
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
  const timeMs = `${time}${local.micros.slice(0, 3)}`;
  const rendered: Record<FileNamePlaceholder, string> = {
    datetime: `${date}_${time}`,
    datetime_ms: `${date}_${timeMs}`,
    date,
    time,
    time_ms: timeMs,
    export: values.exportName,
    run_id: values.runId,
    window_start: values.windowStart === undefined ? 'beginning' : compactUtc(values.windowStart),
    window_end: compactUtc(values.windowEnd),
  };
  const name = substitute(template, rendered);
  const problem = fileNameProblem(name);
  if (problem !== undefined) throw fileNameInvalid(`rendered file name is unsafe: ${problem}`);
  return name;
}
