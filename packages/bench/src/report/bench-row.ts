/** One line of the benchmark table. */
export interface BenchRow {
  readonly stage: string;
  /** The project's figure, as printed (e.g. `412 MB/s, 3.1 CPU s/GiB`). */
  readonly project: string;
  /** The baseline's figure in the same run, or `–`. */
  readonly baseline: string;
  /** project ÷ baseline (higher is better), or null when there is no ratio. */
  readonly ratio: number | null;
  readonly target: string;
  /** Whether the target is met; null when the row only reports, or was not measured. */
  readonly met: boolean | null;
  /** Raw figures for the JSON file. */
  readonly data?: unknown;
}

export const notMeasured = (stage: string, target: string, reason: string): BenchRow => ({
  stage,
  project: `not measured: ${reason}`,
  baseline: '–',
  ratio: null,
  target,
  met: null,
});
