import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import type { ServiceName } from '@bq-sftp-export/demo';
import { FaultPoints } from '@bq-sftp-export/runtime';

import type { TrialOptions } from './kill-trial.js';
import { startMatrixStack, type MatrixStack } from './matrix-stack.js';
import { cleanRun } from './run-audit.js';
import { runSigtermTrial } from './sigterm-trial.js';
import { SequencedSource } from './source-table.js';
import { expectClean } from './testing/expect-clean.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const SEEDED_ROWS = 20;
const trial: TrialOptions = { rowsPerRun: 1500, fireTimeoutMs: 60_000, settleTimeoutMs: 90_000 };
/** Cloud Run sends SIGKILL 10 s after SIGTERM. */
const CLOUD_RUN_GRACE_MS = 10_000;

const cases: ReadonlyArray<readonly [ServiceName, string]> = [
  ['extractor', `${FaultPoints.extractorRowRead}:hang@500`],
  ['uploader', `${FaultPoints.uploaderChunkSent}:hang@50%`],
  ['tracker-notifier', `${FaultPoints.trackerHistoryWritten}:hang`],
];

/**
 * SIGTERM while a service is in the middle of its work, which never finishes (`hang`): the
 * service must stop by itself, exit 0 within Cloud Run's 10 s and leave the message unacked;
 * restarted, the redelivered work completes exactly once.
 */
describe('SIGTERM mid-work: each service exits cleanly in time, acks nothing unfinished, and the work is redone once', () => {
  let matrix: MatrixStack;
  let source: SequencedSource;

  beforeAll(async () => {
    matrix = await startMatrixStack({ repoRoot, seededRows: SEEDED_ROWS });
    source = new SequencedSource(matrix.demo, SEEDED_ROWS);
    expectClean(await cleanRun(matrix, source, 0, trial.settleTimeoutMs));
  }, 180_000);

  afterAll(async () => {
    await matrix?.stop();
  }, 60_000);

  it.each(cases)(
    '%s hung at %s',
    async (service, rule) => {
      const result = await runSigtermTrial(matrix, source, service, rule, trial);
      expect(result.hung).toBe(true);
      expect(result.exit).toEqual({ code: 0, signal: null });
      expect(result.exitMs).toBeLessThan(CLOUD_RUN_GRACE_MS);
      expect(result.unackedAfterExit).toBeGreaterThan(0);
      expectClean(result);
    },
    180_000,
  );
});
