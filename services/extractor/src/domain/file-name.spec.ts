import { describe, expect, it } from '@jest/globals';

import { assertPlainFileName, renderFileName, stagingObjectName } from './file-name.js';
import { parseInstant } from './instant.js';
import type { ExportWindow } from './window.js';

const window: ExportWindow = {
  mode: 'incremental',
  low: parseInstant('2026-01-01T00:00:00Z'),
  high: parseInstant('2026-07-02T05:06:07.999999Z'),
  scanLow: parseInstant('2026-01-01T00:00:00Z'),
};
const context = { exportName: 'shopify_customers', runId: 'r-42', window };

describe('renderFileName', () => {
  it("renders the seed's {datetime} as YYYYMMDD_HHMMSS of the window end, in UTC by default", () => {
    expect(renderFileName('SHOPIFYCUSTOMERDATA_{datetime}.csv', context)).toBe(
      'SHOPIFYCUSTOMERDATA_20260702_050607.csv',
    );
  });

  it('renders every placeholder in the configured zone, honouring daylight saving time', () => {
    const name = renderFileName('{export}_{date}_{time}_{window_start}_{window_end}_{run_id}.csv', {
      ...context,
      timeZone: 'America/Chicago',
    });
    // 2026-01-01T00:00Z is 18:00 CST (UTC−6) the day before; 2026-07-02T05:06Z is 00:06 CDT (UTC−5).
    expect(name).toBe('shopify_customers_20260702_000607_20251231T180000_20260702T000607_r-42.csv');
  });

  it('renders an unbounded window start as the first BigQuery day', () => {
    expect(renderFileName('{window_start}', { ...context, window: { ...window, low: null } })).toBe(
      '00010101T000000',
    );
  });

  it('is deterministic for a window', () => {
    expect(renderFileName('{datetime}', context)).toBe(
      renderFileName('{datetime}', { ...context, runId: 'other' }),
    );
  });

  it.each([
    '../{export}.csv',
    'a/{date}.csv',
    'a\\b.csv',
    'a\nb.csv',
    '.',
    '{unknown}.csv',
    '{date.csv',
    'x}.csv',
  ])('rejects the template %j', (template) => {
    expect(() => renderFileName(template, context)).toThrow(/destination_filename/);
  });

  it('rejects placeholder values that would escape the directory', () => {
    expect(() => renderFileName('{export}.csv', { ...context, exportName: '../x' })).toThrow(
      /destination_filename/,
    );
    expect(() => renderFileName('{run_id}.csv', { ...context, runId: 'a\u0000' })).toThrow(
      /destination_filename/,
    );
  });

  it('rejects an unknown time zone', () => {
    expect(() => renderFileName('{date}', { ...context, timeZone: 'Mars/Olympus' })).toThrow(/time_zone/);
  });
});

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
