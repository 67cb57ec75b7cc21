import type { KillTrialResult } from './kill-trial.js';

/** One line of the long form's table: the totals of every trial at one point. */
export interface PointSummary {
  readonly point: string;
  readonly trials: number;
  /** Trials in which the armed service did die at its point. */
  readonly fired: number;
  readonly rowsLost: number;
  readonly rowsDuplicated: number;
  readonly partialFiles: number;
  readonly inconsistentHistory: number;
  readonly checkpointWrong: number;
  readonly extraNotifications: number;
  /** Trials whose run had not settled in the time given. */
  readonly unsettled: number;
  readonly wallMs: number;
}

type TrialFigures = Pick<
  KillTrialResult,
  | 'point'
  | 'fired'
  | 'rowsLost'
  | 'rowsDuplicated'
  | 'partialFiles'
  | 'inconsistentHistory'
  | 'checkpointWrong'
  | 'extraNotifications'
  | 'settled'
  | 'durationMs'
>;

/** Totals per point, in the order the points first appear. */
export function summarise(results: readonly TrialFigures[]): PointSummary[] {
  const byPoint = new Map<string, PointSummary>();
  for (const result of results) {
    const sum = byPoint.get(result.point) ?? {
      point: result.point,
      trials: 0,
      fired: 0,
      rowsLost: 0,
      rowsDuplicated: 0,
      partialFiles: 0,
      inconsistentHistory: 0,
      checkpointWrong: 0,
      extraNotifications: 0,
      unsettled: 0,
      wallMs: 0,
    };
    byPoint.set(result.point, {
      point: sum.point,
      trials: sum.trials + 1,
      fired: sum.fired + (result.fired ? 1 : 0),
      rowsLost: sum.rowsLost + result.rowsLost,
      rowsDuplicated: sum.rowsDuplicated + result.rowsDuplicated,
      partialFiles: sum.partialFiles + result.partialFiles,
      inconsistentHistory: sum.inconsistentHistory + result.inconsistentHistory,
      checkpointWrong: sum.checkpointWrong + (result.checkpointWrong ? 1 : 0),
      extraNotifications: sum.extraNotifications + result.extraNotifications,
      unsettled: sum.unsettled + (result.settled ? 0 : 1),
      wallMs: sum.wallMs + result.durationMs,
    });
  }
  return [...byPoint.values()];
}

const HEADERS = [
  'point',
  'trials',
  'fired',
  'rows lost',
  'rows duplicated',
  'partial files',
  'inconsistent history',
  'checkpoint wrong',
  'extra notifications',
  'unsettled',
  'wall time',
] as const;

function cells(row: PointSummary): string[] {
  return [
    row.point,
    String(row.trials),
    String(row.fired),
    String(row.rowsLost),
    String(row.rowsDuplicated),
    String(row.partialFiles),
    String(row.inconsistentHistory),
    String(row.checkpointWrong),
    String(row.extraNotifications),
    String(row.unsettled),
    `${(row.wallMs / 1000).toFixed(0)} s`,
  ];
}

/** The summaries as a Markdown table (aligned, so it reads in a terminal too). */
export function renderTable(rows: readonly PointSummary[]): string {
  const table = [[...HEADERS], ...rows.map(cells)];
  const widths = HEADERS.map((_header, column) => Math.max(...table.map((line) => line[column]!.length)));
  const line = (values: readonly string[]): string =>
    `| ${values.map((value, column) => value.padEnd(widths[column]!)).join(' | ')} |`;
  return [
    line(table[0]!),
    `| ${widths.map((width) => '-'.repeat(width)).join(' | ')} |`,
    ...table.slice(1).map(line),
  ].join('\n');
}

/** True when no trial found a fault (every kill fired, every run settled clean). */
export function allClean(rows: readonly PointSummary[]): boolean {
  return rows.every(
    (row) =>
      row.fired === row.trials &&
      row.unsettled === 0 &&
      row.rowsLost +
        row.rowsDuplicated +
        row.partialFiles +
        row.inconsistentHistory +
        row.checkpointWrong +
        row.extraNotifications ===
        0,
  );
}
