import { describe, expect, it } from '@jest/globals';

import { RUN_ID_LENGTH } from '@bq-sftp-export/config';
import { fileNameProblem } from '@bq-sftp-export/contracts';

import { runIdFor } from './run-id.js';

describe('runIdFor', () => {
  const parts = {
    configName: 'default',
    exportName: 'a_very_long_export_name_that_does_not_change_the_length',
    requestKey: 'request-1',
    requestedAt: new Date('2026-11-26T11:00:05.987Z'),
  };

  it('is always RUN_ID_LENGTH characters and a safe file name (config validation counts on both)', () => {
    for (const requestedAt of [
      parts.requestedAt,
      new Date('1970-01-01T00:00:00Z'),
      new Date('9999-12-31T23:59:59.999Z'),
    ]) {
      const runId = runIdFor({ ...parts, requestedAt });
      expect(runId).toHaveLength(RUN_ID_LENGTH);
      expect(fileNameProblem(runId)).toBeUndefined();
    }
    expect(runIdFor(parts)).toMatch(/^20261126T110005Z-[0-9a-f]{12}$/);
  });

  it('differs for two requests in the same second and repeats for a redelivery of one', () => {
    const other = runIdFor({
      ...parts,
      requestKey: 'request-2',
      requestedAt: new Date('2026-11-26T11:00:05.001Z'),
    });
    expect(other).not.toBe(runIdFor(parts));
    expect(runIdFor({ ...parts })).toBe(runIdFor(parts));
  });
});
