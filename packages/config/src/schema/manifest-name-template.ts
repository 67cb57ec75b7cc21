import { fileNameProblem } from '@bq-sftp-export/contracts';

import { compactUtc } from './file-name-template.js';
import { renderTempName } from './temp-name-template.js';

/** What a destination's `manifest.format` may be: a JSON manifest or an empty-ish marker file. */
export const MANIFEST_FORMATS = ['json', 'done', 'ok'] as const;
export type ManifestFormat = (typeof MANIFEST_FORMATS)[number];

/** Placeholders a manifest name may use: what the uploader knows of a delivered file. */
export const MANIFEST_NAME_PLACEHOLDERS = {
  /** The data file's name as delivered (with the `pgp.file_suffix`, when there is one). */
  file: 'the delivered file name',
  export: 'the export name',
  run_id: 'the run id',
  window_start: 'YYYYMMDDTHHmmssZ or "beginning"',
  window_end: 'YYYYMMDDTHHmmssZ',
} as const;

type ManifestPlaceholder = keyof typeof MANIFEST_NAME_PLACEHOLDERS;

/** `{file}.manifest.json`, `{file}.done`, `{file}.ok`. */
export function defaultManifestName(format: ManifestFormat): string {
  return format === 'json' ? '{file}.manifest.json' : `{file}.${format}`;
}

const TOKEN = /\{([^{}]*)\}/g;
/** Stand-ins when checking a template at load time. */
const SAMPLE_VALUES: ManifestNameValues = {
  file: 'f.csv',
  exportName: 'x',
  runId: 'x',
  window: { high: '2000-01-01T00:00:00Z' },
};

function isPlaceholder(name: string): name is ManifestPlaceholder {
  return Object.hasOwn(MANIFEST_NAME_PLACEHOLDERS, name);
}

/**
 * Problems with a manifest name template: unknown placeholders, no `{file}` (one manifest per
 * delivered file), unbalanced braces, a rendered name that is not one safe file name. Whether it
 * collides with the data file is `manifestTemplateCollision`'s (it needs the destination).
 */
export function manifestNameProblems(template: string): string[] {
  const problems: string[] = [];
  const names = [...template.matchAll(TOKEN)].map((match) => match[1] ?? '');
  for (const name of names) {
    if (!isPlaceholder(name)) {
      const known = Object.keys(MANIFEST_NAME_PLACEHOLDERS)
        .map((key) => `{${key}}`)
        .join(', ');
      problems.push(`unknown placeholder {${name}}; expected one of ${known}`);
    }
  }
  if (!names.includes('file')) problems.push('expected the {file} placeholder (the data file name)');
  const literal = template.replace(TOKEN, 'x');
  if (literal.includes('{') || literal.includes('}')) problems.push('expected balanced "{" and "}"');
  const problem = fileNameProblem(literal);
  if (problem !== undefined) problems.push(problem);
  return problems;
}

export interface ManifestNameValues {
  /** The data file's name as delivered. */
  readonly file: string;
  readonly exportName: string;
  readonly runId: string;
  /** The file's window (`file.ready`'s): ISO instants, `low` absent for a full export. */
  readonly window: { readonly low?: string | undefined; readonly high: string };
}

/** Renders a validated manifest name template (no safety check: see `manifestNameCollision`). */
export function renderManifestName(template: string, values: ManifestNameValues): string {
  const rendered: Record<ManifestPlaceholder, string> = {
    file: values.file,
    export: values.exportName,
    run_id: values.runId,
    window_start: values.window.low === undefined ? 'beginning' : compactUtc(new Date(values.window.low)),
    window_end: compactUtc(new Date(values.window.high)),
  };
  return template.replace(TOKEN, (token, placeholder: string) =>
    isPlaceholder(placeholder) ? rendered[placeholder] : token,
  );
}

export interface ManifestNames {
  readonly manifestName: string;
  /** The data file's name as delivered. */
  readonly dataName: string;
  /** The destination's `temp_name` template (`{name}`, `{run_id}`). */
  readonly tempName: string;
  readonly runId: string;
}

/**
 * Why a rendered manifest name cannot be used next to its data file, or undefined: it must be a
 * safe file name (length included) and neither it nor its temporary name may be the data
 * file's name or the data file's temporary name — the manifest would replace, or be replaced
 * by, the data it describes.
 */
export function manifestNameCollision(names: ManifestNames): string | undefined {
  const { manifestName, dataName, tempName, runId } = names;
  const unsafe = fileNameProblem(manifestName);
  if (unsafe !== undefined) return `the rendered manifest name is not a safe file name: ${unsafe}`;
  if (manifestName === dataName) return 'the manifest name renders as the data file name';
  if (manifestName === renderTempName(tempName, dataName, runId)) {
    return "the manifest name renders as the data file's temporary name (temp_name)";
  }
  if (renderTempName(tempName, manifestName, runId) === dataName) {
    return "the manifest's temporary name (temp_name) renders as the data file name";
  }
  return undefined;
}

/** `manifestNameCollision` for a template at load time, with sample values. */
export function manifestTemplateCollision(
  template: string,
  destination: { readonly tempName: string; readonly fileSuffix: string },
): string | undefined {
  const dataName = `${SAMPLE_VALUES.file}${destination.fileSuffix}`;
  return manifestNameCollision({
    manifestName: renderManifestName(template, { ...SAMPLE_VALUES, file: dataName }),
    dataName,
    tempName: destination.tempName,
    runId: SAMPLE_VALUES.runId,
  });
}
