import type { ExportEvent } from '@bq-sftp-export/contracts';
import { AppError } from '@bq-sftp-export/runtime';
import { inject, injectable } from 'inversify';

import { decideOutcome } from '../domain/export-state.js';
import type { NotificationOutcome, RunResult } from '../domain/run-outcome.js';
import { writeOnVersion } from './compare-and-swap.js';
import { ExportStateStore } from './ports/export-state-store.js';

export interface PendingOutcome {
  readonly outcome: NotificationOutcome;
  /** Moves the export's state to this result (compare-and-swap, re-decided on a conflict). */
  commit(): Promise<void>;
}

/**
 * Decides whether a settled run is a success, a failure or a recovery from the export's stored
 * state, and moves that state once the notifications are done (so a crash in between decides
 * the same way on redelivery).
 */
@injectable()
export class RunOutcomeDecider {
  constructor(@inject(ExportStateStore) private readonly states: ExportStateStore) {}

  async decide(event: ExportEvent, result: RunResult): Promise<PendingOutcome> {
    const stored = await this.states.read(event.configName, event.exportName);
    const decision = decideOutcome(stored?.state, event, result);
    return {
      outcome: decision.outcome,
      commit: () =>
        writeOnVersion(
          decision.next,
          stored?.version,
          (next, version) => this.states.write(event.configName, event.exportName, next, version),
          async () => {
            const current = await this.states.read(event.configName, event.exportName);
            return { next: decideOutcome(current?.state, event, result).next, version: current?.version };
          },
          () =>
            new AppError('export state kept changing while being updated', {
              code: 'EXPORT_STATE_CONFLICT',
              retryable: true,
              details: { exportName: event.exportName },
            }),
        ),
    };
  }
}
