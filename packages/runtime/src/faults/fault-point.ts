import { writeSync } from 'node:fs';

import type { Logger } from '../logging/logger.js';
import type { ServiceEnvironment } from '../service/service-settings.js';
import { FaultInjector, type FaultEffects, type FaultProgress } from './fault-injector.js';
import { FAULT_INJECTION_VARIABLE, parseFaultPlan } from './fault-plan.js';
import type { FaultPoint } from './fault-points.js';

// The one piece of process-wide state in the runtime: fault points sit deep inside streams and
// handlers, and threading an injector through each of them would change many signatures for a
// test-only hook. It stays undefined (every point a no-op) unless the bootstrap arms it.
let injector: FaultInjector | undefined;

/**
 * Marks a fault point: `await faultPoint(FaultPoints.uploaderRenamed)`. A no-op returning
 * undefined unless fault injection is armed for this point (tests only, see `armFaultInjection`).
 */
export function faultPoint(point: FaultPoint, progress?: FaultProgress): Promise<void> | undefined {
  return injector?.pass(point, progress);
}

/** Installs an injector (or removes it with undefined); tests of code with fault points use it. */
export function installFaultInjector(next: FaultInjector | undefined): void {
  injector = next;
}

/** The real effects: SIGKILL to this process, notes written synchronously to stderr as log lines. */
export function processFaultEffects(serviceName: string): FaultEffects {
  return {
    kill: () => process.kill(process.pid, 'SIGKILL'),
    note: (message, fields) => {
      const line = { severity: 'WARNING', message, time: new Date().toISOString(), serviceName, ...fields };
      writeSync(2, `${JSON.stringify(line)}\n`);
    },
    schedule: (delayMs, run) => {
      setTimeout(run, delayMs);
    },
  };
}

/**
 * Called once by the service bootstrap: reads `BQX_FAULT_INJECTION` from the service's
 * environment and, when set, arms the points it names (and logs a warning). Throws
 * `FAULT_INJECTION_INVALID` for a bad value or on Cloud Run.
 */
export function armFaultInjection(
  environment: ServiceEnvironment,
  options: { readonly serviceName: string; readonly logger: Logger; readonly effects?: FaultEffects },
): void {
  const { logger } = options;
  const rules = parseFaultPlan(environment);
  if (rules.length === 0) {
    injector = undefined;
    return;
  }
  injector = new FaultInjector(rules, options.effects ?? processFaultEffects(options.serviceName));
  logger.warn('fault injection armed: this process will be killed or hung on purpose', {
    [FAULT_INJECTION_VARIABLE]: environment[FAULT_INJECTION_VARIABLE],
  });
}
