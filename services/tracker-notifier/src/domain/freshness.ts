import type { RecentRun, RunAlert } from './run-alerts.js';

function duration(seconds: number): string {
  const units: readonly (readonly [number, string])[] = [
    [86_400, 'd'],
    [3_600, 'h'],
    [60, 'min'],
  ];
  const parts: string[] = [];
  let rest = Math.max(0, Math.floor(seconds));
  for (const [size, unit] of units) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)} ${unit}`);
      rest %= size;
    }
  }
  return parts.length === 0 ? `${rest} s` : parts.slice(0, 2).join(' ');
}

/**
 * The stale alert for one export at `now`, from its last successful run (`recent` is oldest
 * first): raised when that run is more than `freshnessSeconds` old. It names the last run, so
 * its ledger key stays the same until a new successful run: one alert per stale period.
 * Undefined when the export is fresh or has no successful run recorded (nothing to judge yet).
 */
export function decideFreshness(
  recent: readonly RecentRun[],
  now: Date,
  freshnessSeconds: number,
  names: { readonly exportName: string; readonly configName: string },
): RunAlert | undefined {
  const last = recent.reduce<RecentRun | undefined>(
    (latest, run) =>
      latest === undefined || Date.parse(run.occurredAt) > Date.parse(latest.occurredAt) ? run : latest,
    undefined,
  );
  if (last === undefined) return undefined;
  const ageSeconds = (now.getTime() - Date.parse(last.occurredAt)) / 1000;
  if (!(ageSeconds > freshnessSeconds)) return undefined;
  const alert: RunAlert = {
    kind: 'stale',
    ...names,
    runId: last.runId,
    occurredAt: now.toISOString(),
    headline: 'no successful run in time',
    explanation:
      `The export's last successful run finished ${duration(ageSeconds)} ago, ` +
      `longer than its freshness window of ${duration(freshnessSeconds)}.`,
    figures: [
      ['Last successful run', `${last.runId} at ${last.occurredAt}`],
      ['Freshness window', duration(freshnessSeconds)],
    ],
    advice: [
      "Check the export's schedule (Cloud Scheduler) and recent failure notifications.",
      'Look for its latest runs in the history table or the dead-letter subscriptions.',
      'Tune notifications.alerts.freshness_seconds if the export runs less often.',
    ],
  };
  return Object.freeze(alert);
}
