import { Writable } from 'node:stream';

/** A sink that drops bytes, counting them. */
export function nullSink(): Writable & { bytes: number } {
  const sink = new Writable({
    highWaterMark: 1 << 20,
    write(chunk: Buffer, _encoding, callback) {
      sink.bytes += chunk.length;
      callback();
    },
  }) as Writable & { bytes: number };
  sink.bytes = 0;
  return sink;
}

/** `count` rows cycling through `rows` (distinct data without holding `count` objects). */
export function* cycle<T>(rows: readonly T[], count: number): Generator<T> {
  for (let i = 0; i < count; i++) yield rows[i % rows.length]!;
}

export interface Timing {
  /** Median wall-clock seconds. */
  readonly wall: number;
  /** Median CPU seconds of this process (user + system, all threads). */
  readonly cpu: number;
}

/**
 * Runs `task` `runs` times and returns the medians. CPU time is the fairer figure on a
 * shared, overloaded machine: wall time there mostly measures the neighbours.
 */
export async function measureMedian(runs: number, task: () => Promise<void> | void): Promise<Timing> {
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    await task();
    const used = process.cpuUsage(cpu);
    walls.push(Number(process.hrtime.bigint() - start) / 1e9);
    cpus.push((used.user + used.system) / 1e6);
  }
  return { wall: median(walls), cpu: median(cpus) };
}

function median(values: number[]): number {
  values.sort((a, b) => a - b);
  return values[Math.floor(values.length / 2)]!;
}

export function argNumber(name: string, fallback: number): number {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  return arg === undefined ? fallback : Number(arg.slice(name.length + 3));
}

export function formatRate(rows: number, seconds: number): string {
  return `${Math.round(rows / seconds).toLocaleString('en-US')} rows/s`.padStart(16);
}
