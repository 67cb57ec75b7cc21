import { describe, expect, it } from '@jest/globals';

import { isAppError } from '@bq-sftp-export/runtime';

import { seedConfig } from '../testing/seed-config.js';
import { exportConfigWarnings, MAX_FILE_NAME_BYTES } from './file-name-checks.js';
import { validateExportConfig } from './validate-export-config.js';

/** The seed config with the first export's template (and optionally the sftp block) changed. */
function configWith(template: string, sftp: Record<string, unknown> = {}): unknown {
  const config = seedConfig();
  config.exports[0] = { ...config.exports[0], destination_filename: template };
  return { ...config, sftp: { ...(config['sftp'] as object), ...sftp } };
}

function problemsOf(config: unknown): string {
  try {
    validateExportConfig(config, 'test');
  } catch (error) {
    if (!isAppError(error)) throw error;
    return error.message;
  }
  throw new Error('expected the config to be invalid');
}

describe('file name length at validation', () => {
  // shopify_customers is 17 bytes; {run_id} 29, {datetime_ms} 18, {window_start} at its widest 16.
  const fixed = '{export}_{run_id}_{datetime_ms}_{window_start}_{window_end}'; // 17+29+18+16+16+4 = 100
  const fixedBytes = 100;

  it('accepts a name and temp name of exactly 255 bytes at their widest', () => {
    // ".{name}.part" adds 6 bytes: the name may be 249.
    const template = `${fixed}${'a'.repeat(249 - fixedBytes - 4)}.csv`;
    expect(() => validateExportConfig(configWith(template), 'test')).not.toThrow();
  });

  it('refuses a temp name one byte over, naming the export, the field and the byte count', () => {
    const template = `${fixed}${'a'.repeat(250 - fixedBytes - 4)}.csv`;
    expect(problemsOf(configWith(template))).toContain(
      `exports[0].destination_filename: export "shopify_customers": the temporary name (temp_name of destination "default") renders up to 256 bytes (UTF-8); expected at most ${MAX_FILE_NAME_BYTES}`,
    );
  });

  it('counts UTF-8 bytes, not characters, and the temp_name template and PGP suffix', () => {
    // 60 "é" are 60 characters but 120 bytes.
    const accented = `${fixed}${'é'.repeat(60)}.csv`; // 100 + 120 + 4 = 224 bytes
    expect(() => validateExportConfig(configWith(accented), 'test')).not.toThrow();
    expect(problemsOf(configWith(accented, { temp_name: '.{name}.{run_id}.part' }))).toContain(
      'renders up to 260 bytes (UTF-8)', // 224 + 1 + 1 + 29 + 5
    );
  });

  it('refuses a delivered name over 255 bytes at its widest', () => {
    const template = `${fixed}${'é'.repeat(76)}.csv`; // 100 + 152 + 4 = 256
    expect(problemsOf(configWith(template))).toContain(
      'exports[0].destination_filename: export "shopify_customers": the delivered name renders up to 256 bytes (UTF-8); expected at most 255',
    );
  });
});

describe('exportConfigWarnings', () => {
  it('warns for each export whose name can repeat between runs, naming export and field', () => {
    const warnings = exportConfigWarnings(validateExportConfig(configWith('ORDERS_{date}.csv'), 'test'));
    expect(warnings).toEqual([
      {
        path: 'exports[0].destination_filename',
        message: expect.stringContaining('export "shopify_customers": two runs started in the same second'),
      },
      // The seed's second export keeps {datetime}: one-second resolution.
      { path: 'exports[1].destination_filename', message: expect.stringContaining('"klaviyo_customers"') },
    ]);
  });

  it.each(['A_{run_id}.csv', 'A_{datetime_ms}.csv', 'A_{date}_{time_ms}.csv'])(
    'does not warn for %s',
    (template) => {
      const warnings = exportConfigWarnings(validateExportConfig(configWith(template), 'test'));
      expect(warnings.map((warning) => warning.path)).toEqual(['exports[1].destination_filename']);
    },
  );
});
