import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { KILL_POINTS } from './kill-points.js';
import { requestExport, runKillTrial, type TrialOptions } from './kill-trial.js';
import { startMatrixStack, type MatrixStack } from './matrix-stack.js';
import { auditRun, deadLetters, type RunAudit } from './run-audit.js';
import { SequencedSource } from './source-table.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const SEEDED_ROWS = 40;
const trial: TrialOptions = { rowsPerRun: 1500, fireTimeoutMs: 60_000, settleTimeoutMs: 90_000 };

/** The counts every trial must end with: nothing lost, doubled, partial or inconsistent. */
function expectClean(audit: RunAudit): void {
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

/** A clean incremental run: its file holds exactly the rows inserted since the last one. */
async function cleanRun(matrix: MatrixStack, source: SequencedSource, rows: number): Promise<RunAudit> {
  const before = deadLetters(matrix);
  const runIds = rows === 0 ? [...source.ids()] : await source.insert(rows);
  const requestId = await requestExport(matrix, 'clean');
  return auditRun(matrix, source, {
    requestId,
    runIds,
    repeats: { email: 0, slack: 0 },
    timeoutMs: trial.settleTimeoutMs,
    deadLettersBefore: before,
  });
}

/**
 * The kill matrix, CI form: one stack for the file (local cloud, the three built services as
 * processes, a real OpenSSH server); per fault point, the service is killed there (SIGKILL) once
 * and restarted; the run must still deliver every sequence number exactly once, in complete
 * files, with consistent history, checkpoint and notifications.
 */
describe('kill matrix: each service killed at each fault point, restarted, nothing lost or doubled', () => {
  let matrix: MatrixStack;
  let source: SequencedSource;

  beforeAll(async () => {
    matrix = await startMatrixStack({ repoRoot, seededRows: SEEDED_ROWS });
    source = new SequencedSource(matrix.demo, SEEDED_ROWS);
  }, 180_000);

  afterAll(async () => {
    await matrix?.stop();
  }, 60_000);

  it('a first run without faults delivers the seeded rows and commits its window', async () => {
    expectClean(await cleanRun(matrix, source, 0));
  });

  it.each(KILL_POINTS.map((point) => [point.point, point] as const))(
    'killed at %s: delivered exactly once after the restart',
    async (_name, killPoint) => {
      const result = await runKillTrial(matrix, source, killPoint, killPoint.ciRule, trial);
      expect(result.fired).toBe(true);
      expectClean(result);
    },
    180_000,
  );

  it('after all the kills, an incremental run delivers only the new rows: every checkpoint was right', async () => {
    expectClean(await cleanRun(matrix, source, 25));
  });
});
