import { generateCustomerRows, seedTables } from '@bq-sftp-export/local-cloud';

import type { Needle } from '../leak-scan.js';

/**
 * Values of the rows the demo stack seeds (regenerated from the same parameters as
 * `setUpLocalCloud`): emails, phone numbers and street lines, long enough to be unmistakable.
 */
export function seededValueNeedles(rowsPerTable: number): Needle[] {
  return Object.entries(seedTables).flatMap(([table, { sourceType }], index) =>
    generateCustomerRows({
      count: rowsPerTable,
      seed: index + 1,
      sourceType,
      start: new Date('2026-01-05T08:00:00Z'),
      idOffset: index * 1_000_000,
    }).flatMap((row, rowIndex) =>
      (['email', 'phone', 'addr_line_1'] as const).flatMap((column) => {
        const value = row[column];
        return typeof value === 'string' && value.length >= 8
          ? [{ label: `${table} row ${rowIndex} ${column}`, value }]
          : [];
      }),
    ),
  );
}
