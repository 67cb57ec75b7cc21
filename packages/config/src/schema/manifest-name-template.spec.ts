import { describe, expect, it } from '@jest/globals';

import { manifestNameCollision, renderManifestName } from './manifest-name-template.js';

describe('renderManifestName', () => {
  it('renders {file}, {export}, {run_id} and the window bounds', () => {
    const values = {
      file: 'DATA_20261126.csv',
      exportName: 'shopify_customers',
      runId: 'run-1',
      window: { low: '2026-11-25T05:00:00Z', high: '2026-11-26T05:00:00.000Z' },
    };
    expect(renderManifestName('{export}-{run_id}-{window_start}-{window_end}-{file}.json', values)).toBe(
      'shopify_customers-run-1-20261125T050000Z-20261126T050000Z-DATA_20261126.csv.json',
    );
    expect(
      renderManifestName('{file}_{window_start}.ok', { ...values, window: { high: values.window.high } }),
    ).toBe('DATA_20261126.csv_beginning.ok');
  });
});

describe('manifestNameCollision', () => {
  const names = { dataName: 'a.csv', tempName: '.{name}.part', runId: 'run-1' };

  it('accepts a name beside the data file', () => {
    expect(manifestNameCollision({ ...names, manifestName: 'a.csv.manifest.json' })).toBeUndefined();
  });

  it.each([
    ['the data file name', 'a.csv', 'renders as the data file name'],
    ["the data file's temporary name", '.a.csv.part', 'expected no leading "."'],
    ['a name over 255 bytes', `a.csv.${'x'.repeat(250)}`, 'expected at most 255 bytes'],
  ])('refuses %s', (_what, manifestName, expected) => {
    expect(manifestNameCollision({ ...names, manifestName })).toContain(expected);
  });

  it("refuses a name that is the data file's temporary name for this file only", () => {
    // ".a{file}" and ".{name}a" differ as templates but meet for a file named "aaa".
    const collision = manifestNameCollision({
      dataName: 'aaa',
      tempName: '{name}a',
      runId: 'r',
      manifestName: 'aaaa',
    });
    expect(collision).toBe("the manifest name renders as the data file's temporary name (temp_name)");
  });

  it("refuses a temporary name of the manifest that is the data file's name", () => {
    const collision = manifestNameCollision({
      dataName: 'x.tmp.tmp',
      tempName: '{name}.tmp',
      runId: 'r',
      manifestName: 'x.tmp',
    });
    expect(collision).toBe("the manifest's temporary name (temp_name) renders as the data file name");
  });
});
