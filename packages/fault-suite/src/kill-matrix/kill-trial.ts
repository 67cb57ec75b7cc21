import type { ServiceExit } from '@bq-sftp-export/demo';

import { readDeliveryDirectory } from './delivered-files.js';
import type { KillPoint } from './kill-points.js';
import type { MatrixStack } from './matrix-stack.js';
import { auditRun, deadLetters, type RunAudit } from './run-audit.js';
import { requestExport } from './request-export.js';
import type { SequencedSource } from './source-table.js';

export interface TrialOptions {
  readonly rowsPerRun: number;
  /** How long the armed service may take to reach its point and die. */
  readonly fireTimeoutMs: number;
  /** How long the run may take to settle after the restart. */
  readonly settleTimeoutMs: number;
}

export interface KillTrialResult extends RunAudit {
  readonly point: KillPoint['point'];
  readonly rule: string;
  /** The armed service died by SIGKILL having noted the fault injection. */
  readonly fired: boolean;
  readonly exit: ServiceExit | undefined;
  /** Temporary files in the partner's directory right after the kill (a kill mid-upload leaves one). */
  readonly temporaryAtKill: number;
  readonly durationMs: number;
}

/** Resolves with the exit, or undefined when the process is still running after `ms`. */
export async function exitWithin(exited: Promise<ServiceExit>, ms: number): Promise<ServiceExit | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * One trial: new sequenced rows, the service restarted with `rule` armed, an export requested;
 * the service kills itself at the point, is started again without the hook, Pub/Sub redelivers
 * and the run settles. Then every invariant is checked (`auditRun`).
 */
export async function runKillTrial(
  matrix: MatrixStack,
  source: SequencedSource,
  killPoint: KillPoint,
  rule: string,
  options: TrialOptions,
): Promise<KillTrialResult> {
  const started = Date.now();
  const deadLettersBefore = deadLetters(matrix);
  const runIds = await source.insert(options.rowsPerRun);
  const armed = await matrix.restart(killPoint.service, rule, killPoint.env);
  const requestId = await requestExport(matrix, 'kill');
  let exit = await exitWithin(armed.exited, options.fireTimeoutMs);
  const fired =
    exit?.signal === 'SIGKILL' &&
    (await matrix.logOf(killPoint.service)).includes('fault injection: killing');
  const temporaryAtKill = (await readDeliveryDirectory(matrix.demo.deliveryDirectory)).temporary.length;
  if (exit === undefined) exit = await armed.stop();
  await matrix.revive(killPoint.service, killPoint.env);
  const audit = await auditRun(matrix, source, {
    requestId,
    runIds,
    repeats: fired ? killPoint.expectedRepeats(rule) : { email: 0, slack: 0 },
    timeoutMs: options.settleTimeoutMs,
    deadLettersBefore,
  });
  const problems = fired
    ? audit.problems
    : [`${killPoint.service} did not die at ${rule}`, ...audit.problems];
  return {
    ...audit,
    problems,
    point: killPoint.point,
    rule,
    fired,
    exit,
    temporaryAtKill,
    durationMs: Date.now() - started,
  };
}
