import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { FaultPoints } from '@bq-sftp-export/runtime';

import { KILL_POINTS } from './kill-points.js';
import { runKillTrial, type TrialOptions } from './kill-trial.js';
import { startMatrixStack, type MatrixStack } from './matrix-stack.js';
import { cleanRun } from './run-audit.js';
import { MATRIX_EXPORT, SequencedSource } from './source-table.js';
import { expectClean } from './testing/expect-clean.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const SEEDED_ROWS = 40;
const trial: TrialOptions = { rowsPerRun: 1500, fireTimeoutMs: 60_000, settleTimeoutMs: 90_000 };

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
    expectClean(await cleanRun(matrix, source, 0, trial.settleTimeoutMs));
  });

  it.each(KILL_POINTS.map((point) => [point.point, point] as const))(
    'killed at %s: delivered exactly once after the restart',
    async (_name, killPoint) => {
      const result = await runKillTrial(matrix, source, killPoint, killPoint.ciRule, trial);
      expect(result.fired).toBe(true);
      // Only a kill mid-upload leaves a temporary file (never a final name) for the retry to replace.
      expect(result.temporaryAtKill).toBe(killPoint.point === FaultPoints.uploaderChunkSent ? 1 : 0);
      expectClean(result);
    },
    180_000,
  );

  it('gzip: killed in the middle of the compressed stream, the .gz file is delivered once and complete', async () => {
    await matrix.useGzip(MATRIX_EXPORT);
    const rowRead = KILL_POINTS.find((point) => point.point === FaultPoints.extractorRowRead)!;
    const result = await runKillTrial(matrix, source, rowRead, rowRead.ciRule, trial);
    expect(result.fired).toBe(true);
    expectClean(result);
    const files = await readdir(matrix.demo.deliveryDirectory);
    expect(files.filter((name) => name.endsWith('.csv.gz'))).toHaveLength(1);
  }, 180_000);

  it('after all the kills, an incremental run delivers only the new rows: every checkpoint was right', async () => {
    expectClean(await cleanRun(matrix, source, 25, trial.settleTimeoutMs));
  });
});
