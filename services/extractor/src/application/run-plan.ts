import type { BlobRef } from '@bq-sftp-export/cloud';
import { renderFileName, type ExportConfig, type ResolvedExport } from '@bq-sftp-export/config';
import type { ExportRequested, ExportWindow as MessageWindow } from '@bq-sftp-export/contracts';
import {
  buildExportQuery,
  formatInstant,
  parseInstant,
  planWindow,
  type ExportMode,
  type ExportQuery,
  type ExportWindow,
  type Micros,
  type WindowRequest,
} from '@bq-sftp-export/export-domain';

import { stagingObjectName } from '../domain/file-name.js';

/** The mode a request asks for: a backfill window, `full`, or the export's own incremental run. */
export function requestedMode(request: ExportRequested): ExportMode {
  if (request.backfill !== undefined) return 'backfill';
  return request.mode ?? 'incremental';
}

/** Fixes a fresh run's window from the export's settings, the request and the watermark. */
export function planRunWindow(
  exportConfig: ResolvedExport,
  request: ExportRequested,
  now: Micros,
  checkpointHigh: Micros | null,
): ExportWindow {
  const backfill: WindowRequest['backfill'] =
    request.backfill === undefined
      ? undefined
      : {
          from: parseInstant(request.backfill.from, 'backfill.from'),
          to: parseInstant(request.backfill.to, 'backfill.to'),
        };
  return planWindow(
    {
      incremental: exportConfig.mode === 'incremental',
      timestamp_column: exportConfig.timestampColumn,
      settle_delay_seconds: exportConfig.settleDelaySeconds,
      lookback_seconds: exportConfig.lookbackSeconds,
      start_at: exportConfig.startAt,
    },
    { now, checkpointHigh, mode: request.mode, backfill },
  );
}

export function exportQueryOf(
  exportConfig: ResolvedExport,
  window: ExportWindow,
  snapshot: Micros,
): ExportQuery {
  return buildExportQuery(
    {
      source_table: exportConfig.sourceTable,
      columns: exportConfig.columns,
      timestamp_column: exportConfig.timestampColumn,
      dedupe_key: exportConfig.dedupeKey,
    },
    window,
    snapshot,
  );
}

/** `<prefix><config>/<export>/<mode>/<low>_<high>.<format>[.gz]` in the staging bucket. */
export function stagedObjectRef(
  bucket: string,
  config: ExportConfig,
  exportConfig: ResolvedExport,
  window: ExportWindow,
): BlobRef {
  const prefix = `${config.staging.prefix}${config.name}/`;
  return {
    bucket,
    name: stagingObjectName(prefix, exportConfig.name, window, exportConfig.format, exportConfig.compression),
  };
}

/** `<staging prefix>runs/<runId>/<export>.file-ready.json`: the exact message, for `resend --run`. */
export function fileReadyRecordRef(
  bucket: string,
  prefix: string,
  runId: string,
  exportName: string,
): BlobRef {
  return { bucket, name: `${prefix}runs/${runId}/${exportName}.file-ready.json` };
}

/** The partner's file name: the config's template, `{datetime}` from the run's recorded start. */
export function partnerFileName(
  exportConfig: ResolvedExport,
  runId: string,
  runStartedAt: Micros,
  window: ExportWindow,
): string {
  return renderFileName(exportConfig.fileNameTemplate, {
    runStartedAt: dateOf(runStartedAt),
    timeZone: exportConfig.fileNameTimeZone,
    exportName: exportConfig.name,
    runId,
    ...(window.low === null ? {} : { windowStart: dateOf(window.low) }),
    windowEnd: dateOf(window.high),
  });
}

/** The contracts know `incremental` and `full`; a backfill is an incremental window. */
export function messageMode(mode: ExportMode): 'incremental' | 'full' {
  return mode === 'full' ? 'full' : 'incremental';
}

export function toMessageWindow(window: ExportWindow): MessageWindow {
  return {
    ...(window.low === null ? {} : { low: formatInstant(window.low) }),
    high: formatInstant(window.high),
  };
}

function dateOf(micros: Micros): Date {
  return new Date(Number(micros / 1000n));
}
