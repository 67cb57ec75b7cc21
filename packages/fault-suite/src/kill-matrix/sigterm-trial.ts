import { topologyOf, Topics } from '@bq-sftp-export/contracts';
import type { ServiceExit, ServiceName } from '@bq-sftp-export/demo';
import { isPollTimeout, pollUntil } from '@bq-sftp-export/testing';

import { exitWithin, type TrialOptions } from './kill-trial.js';
import { requestExport } from './request-export.js';
import type { MatrixStack } from './matrix-stack.js';
import { auditRun, deadLetters, type RunAudit } from './run-audit.js';
import type { SequencedSource } from './source-table.js';

const consumed: Readonly<Record<ServiceName, string>> = {
  extractor: topologyOf(Topics.exportRequests).subscription,
  uploader: topologyOf(Topics.fileReady).subscription,
  'tracker-notifier': topologyOf(Topics.exportEvents).subscription,
};

export interface SigtermTrialResult extends RunAudit {
  readonly service: ServiceName;
  readonly rule: string;
  /** The service reached the armed point and stopped there. */
  readonly hung: boolean;
  readonly exit: ServiceExit | undefined;
  /** From SIGTERM to the process's exit, measured by this process. */
  readonly exitMs: number | undefined;
  /** Messages of the service's subscription not acknowledged right after it exited. */
  readonly unackedAfterExit: number;
}

async function waitForLog(matrix: MatrixStack, name: ServiceName, text: string, timeoutMs: number) {
  return pollUntil(async () => ((await matrix.logOf(name)).includes(text) ? true : undefined), {
    describe: `"${text}" in the ${name} log`,
    timeoutMs,
    intervalMs: 200,
  }).catch((error: unknown) => {
    if (isPollTimeout(error)) return false;
    throw error;
  });
}

/**
 * SIGTERM mid-work: the service is armed to hang at `rule`'s point, an export is requested,
 * and once it hangs it gets SIGTERM. It must exit by itself (code 0) within Cloud Run's 10 s
 * without acking the message; restarted without the hook, the redelivered work completes
 * exactly once (`auditRun`).
 */
export async function runSigtermTrial(
  matrix: MatrixStack,
  source: SequencedSource,
  service: ServiceName,
  rule: string,
  options: TrialOptions,
): Promise<SigtermTrialResult> {
  const deadLettersBefore = deadLetters(matrix);
  const runIds = await source.insert(options.rowsPerRun);
  const armed = await matrix.restart(service, rule);
  const requestId = await requestExport(matrix, 'sigterm');
  const hung = await waitForLog(matrix, service, 'fault injection: hanging at', options.fireTimeoutMs);
  let exit: ServiceExit | undefined;
  let exitMs: number | undefined;
  if (hung && armed.pid !== undefined) {
    const sent = Date.now();
    process.kill(armed.pid, 'SIGTERM');
    exit = await exitWithin(armed.exited, 30_000);
    exitMs = exit === undefined ? undefined : Date.now() - sent;
  }
  const unackedAfterExit = matrix.demo.cloud.pubsub.outstanding(consumed[service]).length;
  if (exit === undefined) await armed.stop();
  await matrix.revive(service);
  const audit = await auditRun(matrix, source, {
    requestId,
    runIds,
    repeats: { email: 0, slack: 0 },
    timeoutMs: options.settleTimeoutMs,
    deadLettersBefore,
  });
  return { ...audit, service, rule, hung, exit, exitMs, unackedAfterExit };
}
