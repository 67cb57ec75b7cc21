import { describe, expect, it } from '@jest/globals';

import { allClean, renderTable, summarise } from './matrix-report.js';

const clean = {
  fired: true,
  rowsLost: 0,
  rowsDuplicated: 0,
  partialFiles: 0,
  inconsistentHistory: 0,
  checkpointWrong: false,
  extraNotifications: 0,
  settled: true,
  durationMs: 10_000,
};

describe('summarise and renderTable', () => {
  it('totals trials per point in first-seen order and renders an aligned Markdown table', () => {
    const rows = summarise([
      { ...clean, point: 'uploader.renamed' },
      { ...clean, point: 'extractor.staged', rowsLost: 3, checkpointWrong: true, durationMs: 20_400 },
      { ...clean, point: 'uploader.renamed', fired: false, settled: false, rowsDuplicated: 2 },
    ]);
    expect(rows.map((row) => [row.point, row.trials, row.fired, row.rowsDuplicated, row.unsettled])).toEqual([
      ['uploader.renamed', 2, 1, 2, 1],
      ['extractor.staged', 1, 1, 0, 0],
    ]);
    const lines = renderTable(rows).split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^\| point +\| trials \| fired \| rows lost \| rows duplicated \|/);
    expect(new Set(lines.map((line) => line.length)).size).toBe(1);
    expect(lines[3]).toContain('| extractor.staged | 1      | 1     | 3         |');
    expect(lines[3]).toMatch(/\| 20 s +\|$/);
    expect(allClean(rows)).toBe(false);
  });

  it('allClean holds only when every trial fired and found nothing', () => {
    expect(allClean(summarise([{ ...clean, point: 'uploader.renamed' }]))).toBe(true);
    expect(allClean(summarise([{ ...clean, point: 'uploader.renamed', extraNotifications: 1 }]))).toBe(false);
    expect(allClean(summarise([{ ...clean, point: 'uploader.renamed', fired: false }]))).toBe(false);
  });
});
