import { describe, expect, it } from '@jest/globals';

import { buildExportQuery } from './export-query.js';
import { parseInstant } from './instant.js';
import type { ExportWindow } from './window.js';

const low = parseInstant('2026-01-01T00:00:00Z');
const high = parseInstant('2026-01-02T00:00:00.000001Z');
const snapshot = parseInstant('2026-01-02T00:05:00Z');
const incremental: ExportWindow = { mode: 'incremental', low, high, scanLow: low };
const settings = {
  source_table: 'prod_staging.shopify_customerdata',
  columns: ['id', 'email', '_run_id'],
  timestamp_column: 'last_updated_at',
};

describe('buildExportQuery', () => {
  it('reads the configured columns of one snapshot in [@low, @high), ordered by the timestamp', () => {
    const query = buildExportQuery(settings, incremental, snapshot);
    expect(query.sql).toBe(
      [
        'SELECT `id`, `email`, `_run_id`',
        'FROM `prod_staging`.`shopify_customerdata` FOR SYSTEM_TIME AS OF @snapshot',
        'WHERE `last_updated_at` >= @low AND `last_updated_at` < @high',
        'ORDER BY `last_updated_at`',
      ].join('\n'),
    );
    expect(query.params).toEqual({
      snapshot: { value: '2026-01-02T00:05:00.000000Z' },
      low: { value: '2026-01-01T00:00:00.000000Z' },
      high: { value: '2026-01-02T00:00:00.000001Z' },
    });
    expect(query.types).toEqual({ snapshot: 'TIMESTAMP', low: 'TIMESTAMP', high: 'TIMESTAMP' });
    expect(query.ordered).toBe(true);
  });

  it('quotes project, dataset and table separately', () => {
    const query = buildExportQuery(
      { ...settings, source_table: 'my-project-1.ds.t_1' },
      incremental,
      snapshot,
    );
    expect(query.sql).toContain('FROM `my-project-1`.`ds`.`t_1` FOR SYSTEM_TIME AS OF @snapshot');
  });

  it('de-duplicates the lookback margin on the key, keeping the newest row', () => {
    const window: ExportWindow = { ...incremental, scanLow: low - 60_000_000n };
    const query = buildExportQuery({ ...settings, dedupe_key: ['id', 'email'] }, window, snapshot);
    expect(query.sql).toContain(
      'QUALIFY ROW_NUMBER() OVER (PARTITION BY `id`, `email` ORDER BY `last_updated_at` DESC) = 1\nORDER BY',
    );
    expect(query.params['low']).toEqual({ value: '2025-12-31T23:59:00.000000Z' });
    expect(buildExportQuery({ ...settings, dedupe_key: ['id'] }, incremental, snapshot).sql).not.toContain(
      'QUALIFY',
    );
  });

  it('bounds a full export by @high when there is a timestamp column, and not otherwise', () => {
    const full: ExportWindow = { mode: 'full', low: null, high, scanLow: null };
    const bounded = buildExportQuery(settings, full, snapshot);
    expect(bounded.sql).toMatch(/WHERE `last_updated_at` < @high$/);
    expect(Object.keys(bounded.params)).toEqual(['snapshot', 'high']);
    const unbounded = buildExportQuery({ source_table: 'ds.t', columns: ['a'] }, full, snapshot);
    expect(unbounded.sql).toBe('SELECT `a`\nFROM `ds`.`t` FOR SYSTEM_TIME AS OF @snapshot');
    expect(unbounded.params).toEqual({ snapshot: { value: '2026-01-02T00:05:00.000000Z' } });
    // No ORDER BY: the Storage Read path may read the result's streams side by side.
    expect([bounded.ordered, unbounded.ordered]).toEqual([false, false]);
  });

  it('leaves low open on a first incremental run without a start', () => {
    const query = buildExportQuery(settings, { ...incremental, low: null, scanLow: null }, snapshot);
    expect(query.sql).toContain('WHERE `last_updated_at` < @high\nORDER BY');
  });

  const attacks = [
    'a`; DROP TABLE x; --',
    "a'b",
    'a"b',
    'a b',
    'a\nb',
    ' a',
    'a--',
    'a;',
    '`a`',
    '',
    'a.b',
    'a\\b',
  ];

  it.each(attacks)('rejects the column name %j', (name) => {
    expect(() => buildExportQuery({ ...settings, columns: ['id', name] }, incremental, snapshot)).toThrow(
      /columns/,
    );
    expect(() => buildExportQuery({ ...settings, timestamp_column: name }, incremental, snapshot)).toThrow(
      /timestamp_column/,
    );
    expect(() =>
      buildExportQuery({ ...settings, dedupe_key: [name] }, { ...incremental, scanLow: 0n }, snapshot),
    ).toThrow(/dedupe_key/);
  });

  it.each([
    ...attacks.filter((a) => a !== 'a.b'),
    'ds.t`; DROP TABLE x; --',
    'p.ds.t.x',
    'ds',
    'Bad_Project.ds.t',
    'ds.t\n',
    'ds .t',
  ])('rejects the source table %j', (table) => {
    expect(() => buildExportQuery({ ...settings, source_table: table }, incremental, snapshot)).toThrow(
      /source_table/,
    );
  });

  it('rejects empty and repeated column lists, and windows that need a timestamp column', () => {
    expect(() => buildExportQuery({ ...settings, columns: [] }, incremental, snapshot)).toThrow(/columns/);
    expect(() => buildExportQuery({ ...settings, columns: ['id', 'ID'] }, incremental, snapshot)).toThrow(
      /repeat/,
    );
    expect(() => buildExportQuery({ source_table: 'ds.t', columns: ['a'] }, incremental, snapshot)).toThrow(
      /timestamp_column/,
    );
  });
});
