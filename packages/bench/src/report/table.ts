import type { BenchRow } from './bench-row.js';

const headers = ['stage', 'project path', 'baseline (same run)', 'ratio', 'target', 'met?'] as const;

function cells(row: BenchRow): string[] {
  return [
    row.stage,
    row.project,
    row.baseline,
    row.ratio === null ? '–' : `${row.ratio.toFixed(2)}×`,
    row.target,
    row.met === null ? '–' : row.met ? 'yes' : 'NO',
  ];
}

/** The rows as a Markdown table (readable in a terminal, pasteable into the README). */
export function renderTable(rows: readonly BenchRow[]): string {
  const lines = [headers.slice(), ...rows.map(cells)];
  const widths = headers.map((_, i) => Math.max(...lines.map((line) => line[i]!.length)));
  const format = (line: readonly string[]) =>
    `| ${line.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`;
  return [
    format(lines[0]!),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...lines.slice(1).map(format),
  ].join('\n');
}
