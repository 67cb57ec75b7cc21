import { describe, expect, it } from '@jest/globals';

import { notMeasured, type BenchRow } from './bench-row.js';
import { renderTable } from './table.js';

const measured: BenchRow = {
  stage: 'CSV encoding',
  project: '250k rows/s',
  baseline: 'DuckDB: 1.00M rows/s',
  ratio: 0.25,
  target: '≥ 0.4×',
  met: false,
};

describe('renderTable', () => {
  const lines = renderTable([measured, notMeasured('end to end', '≤ 1.3×', 'no demo yet')]).split('\n');

  it('prints a Markdown table: header, rule, one line per row', () => {
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(
      /^\| stage +\| project path +\| baseline \(same run\) +\| ratio +\| target +\| met\? +\|$/,
    );
    expect(lines[1]).toMatch(/^\|-+\|-+\|-+\|-+\|-+\|-+\|$/);
  });

  it('shows the ratio with two decimals and a missed target as NO', () => {
    expect(lines[2]).toContain('| 0.25× ');
    expect(lines[2]).toMatch(/\| NO +\|$/);
  });

  it('shows a row that was not measured with its reason and dashes', () => {
    expect(lines[3]).toContain('not measured: no demo yet');
    expect(lines[3]).toMatch(/\| – +\|$/);
  });

  it('pads every line to the same width', () => {
    expect(new Set(lines.map((line) => line.length)).size).toBe(1);
  });
});
