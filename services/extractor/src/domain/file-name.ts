import { DomainError, formatInstant, type ExportWindow, type Micros } from '@bq-sftp-export/export-domain';

/*
 * The partner-facing file name is rendered by `renderFileName` of @bq-sftp-export/config (one
 * renderer for the whole system); this file only names the staged Cloud Storage object.
 */

export type StagedFormat = 'csv' | 'parquet';
export type StagedCompression = 'none' | 'gzip';

/**
 * The Cloud Storage object a window is staged to:
 * `<prefix>/<export>/<mode>/<low>_<high>.<format>[.gz]`, bounds at full microsecond precision
 * in UTC (`20260101T000000000000Z`, `min` when unbounded). Deterministic per window, so a rerun
 * after a crash finds the object it already wrote.
 */
export function stagingObjectName(
  prefix: string,
  exportName: string,
  window: ExportWindow,
  format: StagedFormat,
  compression: StagedCompression,
): string {
  const segments = prefix.split('/').filter((segment) => segment !== '');
  for (const segment of segments) assertPlainFileName(segment, 'staging_prefix');
  assertPlainFileName(exportName, 'name');
  const low = window.low === null ? 'min' : objectInstant(window.low);
  const name = `${low}_${objectInstant(window.high)}.${format}${compression === 'gzip' ? '.gz' : ''}`;
  return [...segments, exportName, window.mode, name].join('/');
}

/** Throws unless `name` is a single path segment that cannot escape its directory. */
export function assertPlainFileName(name: string, field: string): void {
  // eslint-disable-next-line no-control-regex
  if (name === '' || name === '.' || /[/\\\u0000-\u001f\u007f]|\.\./.test(name)) {
    throw new DomainError(
      'FILE_NAME_INVALID',
      `${field} must render a plain file name (no "/", "\\", "..", control characters)`,
      field,
    );
  }
}

function objectInstant(micros: Micros): string {
  const iso = formatInstant(micros); // 2026-01-01T00:00:00.000000Z
  return iso.replace(/[-:.]/g, '');
}
