import { describe, expect, it } from '@jest/globals';

import { benchColumns, customerLikeRows, pagesOf } from './customer-rows.js';

describe('customerLikeRows', () => {
  const rows = customerLikeRows(2000);

  it('has the 22 columns of the customer tables, with a value or NULL in each', () => {
    expect(benchColumns).toHaveLength(22);
    for (const row of rows.slice(0, 50))
      expect(Object.keys(row).sort()).toEqual(benchColumns.map((c) => c.name).sort());
  });

  it('gives values the SDK shapes: INT64 as bigint, TIMESTAMP as an object with an ISO value', () => {
    expect(typeof rows[0]!['id']).toBe('bigint');
    expect((rows[0]!['created_at'] as { value: string }).value).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
  });

  it('mixes in NULLs, newlines, quotes, commas and non-ASCII text', () => {
    const texts = rows.flatMap((row) => Object.values(row)).filter((v): v is string => typeof v === 'string');
    const nulls = rows.flatMap((row) => Object.values(row)).filter((v) => v === null).length;
    expect(nulls / (rows.length * 22)).toBeGreaterThan(0.03);
    expect(texts.some((t) => t.includes('\n'))).toBe(true);
    expect(texts.some((t) => t.includes('"'))).toBe(true);
    expect(texts.some((t) => t.includes(','))).toBe(true);
    expect(texts.some((t) => /[^ -~\n]/.test(t))).toBe(true);
  });

  it('is the same for the same seed, and differs for another', () => {
    expect(customerLikeRows(20)).toEqual(customerLikeRows(20));
    expect(customerLikeRows(20, 8)).not.toEqual(customerLikeRows(20));
  });
});

describe('pagesOf', () => {
  it('yields exactly `total` rows in pages, cycling through the distinct rows', () => {
    const distinct = customerLikeRows(3);
    const pages = [...pagesOf(distinct, 7, 3)];
    expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
    expect(pages[2]![0]).toBe(distinct[0]);
  });
});
