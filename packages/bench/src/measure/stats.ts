/** One timed run: wall-clock seconds and CPU seconds (user + system) of the measured process(es). */
export interface Sample {
  readonly seconds: number;
  readonly cpuSeconds: number;
}

/** The median (upper median for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** The nearest-rank percentile `p` (0–100). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new RangeError('percentile of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** Median wall and CPU seconds of several samples. */
export function medianSample(samples: readonly Sample[]): Sample {
  return {
    seconds: median(samples.map((s) => s.seconds)),
    cpuSeconds: median(samples.map((s) => s.cpuSeconds)),
  };
}

/** Times `task` in this process. */
export async function timeInProcess(task: () => Promise<unknown>): Promise<Sample> {
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  await task();
  const used = process.cpuUsage(cpu);
  return {
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
    cpuSeconds: (used.user + used.system) / 1e6,
  };
}

/** Peak resident set size of this process so far, in MB (10^6 bytes). */
export function peakRssMB(): number {
  return Math.round((process.resourceUsage().maxRSS * 1024) / 1e6);
}
