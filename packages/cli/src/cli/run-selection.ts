import { usageError } from './exit-codes.js';

/** `--full`, `--from`, `--to` as given on the command line. */
export interface RunSelectionOptions {
  readonly full?: boolean;
  readonly from?: string;
  readonly to?: string;
}

/** What a run is asked to do beyond its usual incremental window: `full`, or a backfill `[from, to)`. */
export type RunSelection =
  | { readonly mode?: never; readonly backfill?: never }
  | { readonly mode: 'full'; readonly backfill?: never }
  | { readonly mode?: never; readonly backfill: { readonly from: string; readonly to: string } };

/** Checks the combination (exit 2 when wrong) and returns the fields for the request. */
export function runSelection(options: RunSelectionOptions): RunSelection {
  if ((options.from === undefined) !== (options.to === undefined))
    throw usageError('--from and --to go together (a backfill window [from, to))');
  if (options.full && options.from !== undefined)
    throw usageError('--full and --from/--to exclude each other');
  if (options.full) return { mode: 'full' };
  if (options.from !== undefined && options.to !== undefined)
    return { backfill: { from: options.from, to: options.to } };
  return {};
}
