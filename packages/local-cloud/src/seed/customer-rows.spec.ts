import { describe, expect, it } from '@jest/globals';

import { customerTableSchema } from './customer-table.js';
import { generateCustomerRows } from './customer-rows.js';

const options = { count: 400, seed: 7, sourceType: 'shopify', start: new Date('2024-03-01T00:00:00Z') };

describe('generateCustomerRows', () => {
  const rows = generateCustomerRows(options);

  it('is deterministic for a seed and different across seeds', () => {
    expect(generateCustomerRows(options)).toEqual(rows);
    expect(generateCustomerRows({ ...options, seed: 8 })).not.toEqual(rows);
  });

  it('fills exactly the 22 seed columns, with unique ids', () => {
    for (const row of rows)
      expect(Object.keys(row).sort()).toEqual(customerTableSchema.map((f) => f.name).sort());
    expect(new Set(rows.map((r) => r['id'])).size).toBe(rows.length);
    expect(generateCustomerRows({ ...options, count: 2, idOffset: 1000 }).map((r) => r['id'])).toEqual([
      1001, 1002,
    ]);
  });

  it('holds the values that break naive exporters', () => {
    const values = rows.flatMap((r) => Object.values(r)).filter((v): v is string => typeof v === 'string');
    expect(values.some((v) => v.includes(','))).toBe(true);
    expect(values.some((v) => v.includes('"'))).toBe(true);
    expect(values.some((v) => v.includes('\n'))).toBe(true);
    expect(values.some((v) => v.startsWith('='))).toBe(true);
    expect(values.some((v) => /[^\x20-\x7e\n]/.test(v))).toBe(true);
    for (const field of customerTableSchema.filter((f) => f.mode === 'NULLABLE')) {
      expect({ field: field.name, hasNull: rows.some((r) => r[field.name] === null) }).toEqual({
        field: field.name,
        hasNull: true,
      });
    }
  });

  it('moves last_updated_at forward with runs of equal timestamps at microsecond precision', () => {
    const stamps = rows.map((r) => String(r['last_updated_at']));
    for (const stamp of stamps) expect(stamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    const sorted = [...stamps].sort();
    expect(stamps).toEqual(sorted);
    expect(new Set(stamps).size).toBeLessThan(stamps.length);
  });
});
