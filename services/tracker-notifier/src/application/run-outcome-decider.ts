import type { ExportEvent } from '@bq-sftp-export/contracts';
import { AppError } from '@bq-sftp-export/runtime';
import { inject, injectable } from 'inversify';

import { decideOutcome } from '../domain/export-state.js';
import type { NotificationOutcome, RunResult } from '../domain/run-outcome.js';
import { ExportStateStore } from './ports/export-state-store.js';

export interface PendingOutcome {
  readonly outcome: NotificationOutcome;
  /** Moves the export's state to this result (compare-and-swap, re-decided on a conflict). */
  commit(): Promise<void>;
}

const MAX_CONFLICTS = 5;

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
      commit: async () => {
        let current = stored;
        let next = decision.next;
        for (let conflicts = 0; next !== undefined; conflicts++) {
          if (conflicts >= MAX_CONFLICTS) {
            throw new AppError('export state kept changing while being updated', {
              code: 'EXPORT_STATE_CONFLICT',
              retryable: true,
              details: { exportName: event.exportName },
            });
          }
          if (await this.states.write(event.configName, event.exportName, next, current?.version)) return;
          current = await this.states.read(event.configName, event.exportName);
          next = decideOutcome(current?.state, event, result).next;
        }
      },
    };
  }
}
