/** How often an export is expected to succeed: its Cloud Scheduler interval, plus a grace. */
export interface Schedule {
  readonly everyMs: number;
  readonly graceMs: number;
}

export type FreshnessState = 'fresh' | 'late' | 'never';

export interface Freshness {
  readonly state: FreshnessState;
  /** Since the last success; absent when there was none. */
  readonly ageMs?: number;
}

/**
 * Fresh while the last success is at most one interval plus the grace old (the 26-hour
 * monitoring query of tracker-notifier's README is a daily schedule with 2 h of grace); late
 * after that; never without a success.
 */
export function freshness(lastSuccessAt: string | undefined, now: Date, schedule: Schedule): Freshness {
  if (lastSuccessAt === undefined) return { state: 'never' };
  const ageMs = Math.max(0, now.getTime() - Date.parse(lastSuccessAt));
  return { state: ageMs <= schedule.everyMs + schedule.graceMs ? 'fresh' : 'late', ageMs };
}

const UNITS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `90m`, `6h`, `1d` in milliseconds; undefined when it is not one of those forms or is 0. */
export function parseInterval(value: string): number | undefined {
  const match = /^([0-9]{1,6})([mhd])$/.exec(value);
  if (match === null) return undefined;
  const ms = Number(match[1]) * UNITS[match[2] as keyof typeof UNITS];
  return ms > 0 ? ms : undefined;
}
