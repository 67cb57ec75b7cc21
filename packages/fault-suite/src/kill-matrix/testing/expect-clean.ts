import { expect } from '@jest/globals';

import type { RunAudit } from '../run-audit.js';

/** The counts every trial must end with: nothing lost, doubled, partial or inconsistent. */
export function expectClean(audit: RunAudit): void {
  expect(audit.problems).toEqual([]);
  expect(audit).toMatchObject({
    settled: true,
    rowsLost: 0,
    rowsDuplicated: 0,
    partialFiles: 0,
    inconsistentHistory: 0,
    checkpointWrong: false,
    extraNotifications: 0,
  });
}
