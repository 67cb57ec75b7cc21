import { KILL_POINTS, type KillPoint, type Random } from './kill-points.js';
import { runKillTrial, type KillTrialResult, type TrialOptions } from './kill-trial.js';
import { startMatrixStack } from './matrix-stack.js';
import { cleanRun } from './run-audit.js';
import { SequencedSource } from './source-table.js';

export interface LongFormOptions {
  readonly repoRoot: string;
  /** Trials per point. */
  readonly trials: number;
  /** Points to run (default all). */
  readonly points?: readonly string[];
  readonly rowsPerRun: number;
  /** No new round starts after this long. */
  readonly maxMinutes: number;
  readonly seed: number;
  /** True once the runner was asked to stop (SIGINT): no new trial starts. */
  readonly stopRequested: () => boolean;
  /** Progress lines. */
  readonly log: (line: string) => void;
}

/** mulberry32: a small seeded generator, so a run's random timings can be repeated. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The kill matrix's long form: `trials` rounds over the points (round-robin, so a run cut short
 * by `maxMinutes` still covers every point evenly), each trial with a random hit, share of the
 * upload or delay after the point, all on one stack.
 */
export async function runLongForm(options: LongFormOptions): Promise<KillTrialResult[]> {
  const points: KillPoint[] = KILL_POINTS.filter(
    (point) => options.points === undefined || options.points.includes(point.point),
  );
  const random = seededRandom(options.seed);
  const trial: TrialOptions = {
    rowsPerRun: options.rowsPerRun,
    fireTimeoutMs: 60_000,
    settleTimeoutMs: 120_000,
  };
  const seeded = 40;
  const matrix = await startMatrixStack({ repoRoot: options.repoRoot, seededRows: seeded });
  const results: KillTrialResult[] = [];
  const started = Date.now();
  try {
    const source = new SequencedSource(matrix.demo, seeded);
    const first = await cleanRun(matrix, source, 0, trial.settleTimeoutMs);
    if (first.problems.length > 0) throw new Error(`the first run failed: ${first.problems.join('; ')}`);
    for (let round = 1; round <= options.trials; round++) {
      if (options.stopRequested()) {
        options.log(`stopping after ${round - 1} rounds: asked to stop`);
        break;
      }
      if (Date.now() - started > options.maxMinutes * 60_000) {
        options.log(`stopping after ${round - 1} rounds: --max-minutes ${options.maxMinutes} reached`);
        break;
      }
      for (const point of points) {
        if (options.stopRequested()) break;
        const rule = point.randomRule(random, options.rowsPerRun);
        const result = await runKillTrial(matrix, source, point, rule, trial);
        results.push(result);
        options.log(
          `round ${round} ${rule}: ${result.problems.length === 0 ? 'clean' : result.problems.join('; ')} (${(result.durationMs / 1000).toFixed(1)} s)`,
        );
      }
    }
  } finally {
    await matrix.stop();
  }
  return results;
}
