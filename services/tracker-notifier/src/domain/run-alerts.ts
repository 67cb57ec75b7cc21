import type { AlertSettings, VolumeAlertSettings } from '@bq-sftp-export/config';
import type { ExportEvent } from '@bq-sftp-export/contracts';

/** The alerts a successful run can raise beyond the run notification. */
export type RunAlertKind = 'zero-rows' | 'volume-drop' | 'volume-spike' | 'watermark-stalled' | 'stale';

/** One successful run of an export, as the volume and watermark alerts need it. */
export interface RecentRun {
  readonly eventId: string;
  readonly runId: string;
  readonly occurredAt: string;
  /** Rows delivered: 0 for an empty window, absent when the delivery did not say. */
  readonly rows?: number;
  /** Bytes of the delivered file; absent for an empty window. */
  readonly bytes?: number;
  readonly lastExportedValue?: string;
}

/** An alert about one run: figures only, never a row value (`last_exported_value` is a watermark). */
export interface RunAlert {
  readonly kind: RunAlertKind;
  readonly exportName: string;
  readonly configName: string;
  readonly runId: string;
  readonly occurredAt: string;
  readonly headline: string;
  readonly explanation: string;
  readonly figures: readonly (readonly [string, string])[];
  readonly advice: readonly string[];
}

export interface RunAlertDecision {
  readonly alerts: readonly RunAlert[];
  /** The export's recent runs with this one; undefined when they stay as they are. */
  readonly next?: readonly RecentRun[];
}

/** The median of some numbers (the mean of the middle two for an even count); undefined for none. */
export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

export interface VolumeVerdict {
  readonly kind: 'volume-drop' | 'volume-spike';
  readonly metric: 'rows' | 'bytes';
  readonly value: number;
  readonly median: number;
  readonly baselineRuns: number;
}

/**
 * A delivered file's volume against the median of the previous delivered files: a drop below
 * `dropBelow` × median or a spike above `spikeAbove` × median, once at least `minRuns` files are
 * known. Rows are compared when the run and the baseline have them, else bytes. Empty windows
 * are not in the baseline (the zero-rows alert is about them).
 */
export function volumeVerdictOf(
  run: RecentRun,
  previous: readonly RecentRun[],
  settings: VolumeAlertSettings,
): VolumeVerdict | undefined {
  if (run.bytes === undefined) return undefined;
  const delivered = previous.filter((entry) => entry.bytes !== undefined).slice(-settings.runs);
  const rows = delivered.flatMap((entry) => (entry.rows === undefined ? [] : [entry.rows]));
  const useRows = run.rows !== undefined && rows.length >= settings.minRuns;
  const baseline = useRows ? rows : delivered.map((entry) => entry.bytes ?? 0);
  const value = useRows ? (run.rows ?? 0) : run.bytes;
  const middle = median(baseline);
  if (baseline.length < settings.minRuns || middle === undefined) return undefined;
  const verdict = { metric: useRows ? ('rows' as const) : ('bytes' as const), value, median: middle };
  if (value < settings.dropBelow * middle) {
    return { kind: 'volume-drop', ...verdict, baselineRuns: baseline.length };
  }
  if (value > settings.spikeAbove * middle) {
    return { kind: 'volume-spike', ...verdict, baselineRuns: baseline.length };
  }
  return undefined;
}

function advanced(value: string, highest: string): boolean {
  const [a, b] = [Date.parse(value), Date.parse(highest)];
  return Number.isNaN(a) || Number.isNaN(b) ? value > highest : a > b;
}

/**
 * How many runs in a row, up to and including the last, did not advance `last_exported_value`
 * beyond the highest value before them (an empty window does not advance it). Runs before the
 * first known value do not count: there is nothing to stall on yet.
 */
export function stalledRunsOf(runs: readonly RecentRun[]): number {
  let highest: string | undefined;
  let stalled = 0;
  for (const run of runs) {
    const value = run.lastExportedValue;
    if (value !== undefined && (highest === undefined || advanced(value, highest))) {
      highest = value;
      stalled = 0;
    } else if (highest !== undefined) {
      stalled++;
    }
  }
  return stalled;
}

/** The run a success event stands for; undefined for any other event. */
export function recentRunOf(event: ExportEvent): RecentRun | undefined {
  const base = { eventId: event.eventId, runId: event.runId, occurredAt: event.occurredAt };
  if (event.type === 'extract.empty') return { ...base, rows: 0 };
  if (event.type !== 'upload.delivered') return undefined;
  return {
    ...base,
    bytes: event.byteSize,
    ...(event.rowCount === undefined ? {} : { rows: event.rowCount }),
    ...(event.lastExportedValue === undefined ? {} : { lastExportedValue: event.lastExportedValue }),
  };
}

/** How many recent runs the configured alerts need to keep (the freshness alert: the last); 0: none is kept. */
export function recentRunsKept(settings: AlertSettings): number {
  return Math.max(
    settings.volume?.runs ?? 0,
    (settings.watermarkStalledRuns ?? -1) + 1,
    settings.freshnessSeconds === undefined ? 0 : 1,
  );
}

function count(value: number, metric: 'rows' | 'bytes'): string {
  return `${Math.round(value).toLocaleString('en-US')} ${metric}`;
}

function volumeAlert(run: RecentRun, verdict: VolumeVerdict): Omit<RunAlert, 'exportName' | 'configName'> {
  const ratio = verdict.median === 0 ? 'n/a' : `${(verdict.value / verdict.median).toFixed(2)}×`;
  const drop = verdict.kind === 'volume-drop';
  return {
    kind: verdict.kind,
    runId: run.runId,
    occurredAt: run.occurredAt,
    headline: drop ? 'volume dropped' : 'volume spiked',
    explanation:
      `This run delivered ${count(verdict.value, verdict.metric)}, ${ratio} the median of the ` +
      `export's last ${verdict.baselineRuns} delivered files (${count(verdict.median, verdict.metric)}).`,
    figures: [
      ['Delivered', count(verdict.value, verdict.metric)],
      ['Median', `${count(verdict.median, verdict.metric)} over ${verdict.baselineRuns} runs`],
      ['Ratio', ratio],
    ],
    advice: [
      drop
        ? 'Check that the source table is still loaded in full (a failed or partial upstream load).'
        : 'Check the source table for a backfill, duplicated loads or a changed filter upstream.',
      'Tune notifications.alerts.volume (drop_below, spike_above) if this volume is expected.',
    ],
  };
}

/**
 * The alerts a settled success raises, from the export's recent runs (oldest first) and the
 * config's alert settings, and the recent runs to keep afterwards. A redelivered event (its id
 * is already among the runs) is judged against the runs before it, so it raises the same alerts;
 * an event older than the last recorded run is judged but not recorded.
 */
export function decideRunAlerts(
  recent: readonly RecentRun[],
  event: ExportEvent,
  settings: AlertSettings,
  incremental: boolean,
): RunAlertDecision {
  const run = recentRunOf(event);
  if (run === undefined) return { alerts: [] };
  const index = recent.findIndex((entry) => entry.eventId === run.eventId);
  const previous = index >= 0 ? recent.slice(0, index) : recent;
  const alerts: Omit<RunAlert, 'exportName' | 'configName'>[] = [];
  if (settings.zeroRows && run.rows === 0) {
    alerts.push({
      kind: 'zero-rows',
      runId: run.runId,
      occurredAt: run.occurredAt,
      headline: 'delivered 0 rows',
      explanation:
        event.type === 'extract.empty'
          ? 'The run succeeded but its window had no rows, so nothing was delivered.'
          : 'The run succeeded but the delivered file has no rows.',
      figures: [['Rows', '0']],
      advice: ['Check that the source table is still being loaded.'],
    });
  }
  const verdict = settings.volume === undefined ? undefined : volumeVerdictOf(run, previous, settings.volume);
  if (verdict !== undefined) alerts.push(volumeAlert(run, verdict));
  const limit = settings.watermarkStalledRuns;
  if (incremental && limit !== undefined && stalledRunsOf([...previous, run]) === limit) {
    const highest = [...previous].reverse().find((entry) => entry.lastExportedValue !== undefined);
    alerts.push({
      kind: 'watermark-stalled',
      runId: run.runId,
      occurredAt: run.occurredAt,
      headline: 'watermark not moving',
      explanation: `last_exported_value has not advanced for ${limit} successful runs in a row.`,
      figures: [
        ['Last exported value', highest?.lastExportedValue ?? 'none'],
        ['Runs without progress', String(limit)],
      ],
      advice: [
        'Check that new rows reach the source table with a current timestamp_column value.',
        'Check that timestamp_column is the column the loads update.',
      ],
    });
  }
  const named = alerts.map((alert) =>
    Object.freeze({ ...alert, exportName: event.exportName, configName: event.configName }),
  );
  const keep = recentRunsKept(settings);
  const last = recent.at(-1);
  const newer = last === undefined || Date.parse(run.occurredAt) >= Date.parse(last.occurredAt);
  if (keep === 0 || index >= 0 || !newer) return { alerts: named };
  return { alerts: named, next: [...recent, run].slice(-keep) };
}
