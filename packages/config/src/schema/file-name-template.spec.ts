import { describe, expect, it } from '@jest/globals';

import { fileNameTemplateProblems, renderFileName, templateDiffersPerRun } from './file-name-template.js';
import { renderTempName, tempNameProblems } from './temp-name-template.js';

const values = {
  runStartedAt: new Date('2026-11-26T11:00:05Z'),
  timeZone: 'America/Chicago',
  exportName: 'shopify_customers',
  runId: 'run-7',
  windowEnd: new Date('2026-11-26T10:59:05.123Z'),
};

describe('file name templates', () => {
  it('renders the seed placeholder in the configured time zone', () => {
    expect(renderFileName('SHOPIFYCUSTOMERDATA_{datetime}.csv', values)).toBe(
      'SHOPIFYCUSTOMERDATA_20261126_050005.csv',
    );
    expect(renderFileName('X_{datetime}.csv', { ...values, timeZone: 'UTC' })).toBe('X_20261126_110005.csv');
  });

  it('renders the run start to the millisecond in the same zone', () => {
    const at = { ...values, runStartedAt: new Date('2026-11-26T11:00:05.042Z') };
    expect(renderFileName('X_{datetime_ms}.csv', at)).toBe('X_20261126_050005042.csv');
    expect(renderFileName('X_{date}_{time_ms}.csv', { ...at, timeZone: 'UTC' })).toBe(
      'X_20261126_110005042.csv',
    );
    // {datetime} keeps its one-second resolution.
    expect(renderFileName('X_{datetime}.csv', at)).toBe('X_20261126_050005.csv');
  });

  it('tells templates that differ per run from those that do not', () => {
    expect(['{run_id}', 'a_{datetime_ms}', '{time_ms}.csv'].map(templateDiffersPerRun)).toEqual([
      true,
      true,
      true,
    ]);
    expect(['{datetime}', '{date}_{time}', '{window_end}', 'fixed.csv'].map(templateDiffersPerRun)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });

  it('renders every other placeholder', () => {
    expect(renderFileName('{export}_{date}_{time}_{run_id}_{window_start}_{window_end}.csv', values)).toBe(
      'shopify_customers_20261126_050005_run-7_beginning_20261126T105905Z.csv',
    );
    expect(
      renderFileName('{window_start}.csv', { ...values, windowStart: new Date('2026-11-25T00:00:00Z') }),
    ).toBe('20261125T000000Z.csv');
  });

  it('accepts templates without placeholders and lists every problem of a bad one', () => {
    expect(fileNameTemplateProblems('fixed.csv')).toEqual([]);
    expect(fileNameTemplateProblems('{a}/{b}.csv')).toEqual([
      expect.stringContaining('unknown placeholder {a}'),
      expect.stringContaining('unknown placeholder {b}'),
      expect.stringContaining('expected no "/"'),
    ]);
  });

  it('refuses to render an unsafe name', () => {
    expect(() => renderFileName('{run_id}.csv', { ...values, runId: '../x' })).toThrow(
      'rendered file name is unsafe',
    );
  });

  it('builds temporary names in the same directory', () => {
    expect(tempNameProblems('.{name}.part')).toEqual([]);
    expect(tempNameProblems('{name}.{run_id}.tmp')).toEqual([]);
    expect(tempNameProblems('..{name}')).toEqual([expect.stringContaining('leading "."')]);
    expect(tempNameProblems('{nme}.tmp')).toEqual([
      expect.stringContaining('unknown placeholder {nme}'),
      'expected the {name} placeholder',
    ]);
    expect(renderTempName('.{name}.{run_id}.part', 'a.csv', 'run-1')).toBe('.a.csv.run-1.part');
  });
});
