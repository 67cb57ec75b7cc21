import { describe, expect, it } from '@jest/globals';

import { parseInstant, type ExportWindow } from '@bq-sftp-export/export-domain';

import { assertPlainFileName, stagingObjectName } from './file-name.js';

const window: ExportWindow = {
  mode: 'incremental',
  low: parseInstant('2026-01-01T00:00:00Z'),
  high: parseInstant('2026-07-02T05:06:07.999999Z'),
  scanLow: parseInstant('2026-01-01T00:00:00Z'),
};

describe('stagingObjectName', () => {
  it('names the window at full precision, per export, mode and format', () => {
    expect(stagingObjectName('staging/exports/', 'shopify_customers', window, 'csv', 'gzip')).toBe(
      'staging/exports/shopify_customers/incremental/20260101T000000000000Z_20260702T050607999999Z.csv.gz',
    );
    expect(stagingObjectName('', 'k', { ...window, mode: 'full', low: null }, 'parquet', 'none')).toBe(
      'k/full/min_20260702T050607999999Z.parquet',
    );
  });

  it('rejects prefixes and export names that could escape', () => {
    expect(() => stagingObjectName('a/../b', 'x', window, 'csv', 'none')).toThrow(/staging_prefix/);
    expect(() => stagingObjectName('a', 'x/y', window, 'csv', 'none')).toThrow(/name/);
  });

  it('accepts plain names with dots and dashes', () => {
    expect(() => assertPlainFileName('a.b-c_d.csv.gz', 'f')).not.toThrow();
  });
});
