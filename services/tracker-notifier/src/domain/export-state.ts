import type { ExportEvent } from '@bq-sftp-export/contracts';

import type { NotificationOutcome, RunResult } from './run-outcome.js';

/** The last settled run result of one export: what a recovery is judged against. */
export interface ExportState {
  readonly lastResult: RunResult;
  readonly runId: string;
  /** The event that set this state, so a redelivery of it is recognised. */
  readonly eventId: string;
  readonly occurredAt: string;
  /** The result before this one, to decide a redelivered event the same way again. */
  readonly previousResult?: RunResult;
}

export interface OutcomeDecision {
  readonly outcome: NotificationOutcome;
  /** The export's new state; undefined when it stays as it is. */
  readonly next?: ExportState;
}

function announce(result: RunResult, before: RunResult | undefined): NotificationOutcome {
  return result === 'success' && before === 'failure' ? 'recovery' : result;
}

/**
 * Decides what a settled run announces and how the export's state moves. A success after a
 * failure is a recovery. A redelivered event is decided as the first time; an event older than
 * the state (delivered out of order) is announced for its run but does not move the state.
 */
export function decideOutcome(
  state: ExportState | undefined,
  event: ExportEvent,
  result: RunResult,
): OutcomeDecision {
  if (state?.eventId === event.eventId) return { outcome: announce(result, state.previousResult) };
  if (state !== undefined && Date.parse(event.occurredAt) < Date.parse(state.occurredAt)) {
    return { outcome: result };
  }
  return {
    outcome: announce(result, state?.lastResult),
    next: {
      lastResult: result,
      runId: event.runId,
      eventId: event.eventId,
      occurredAt: event.occurredAt,
      ...(state === undefined ? {} : { previousResult: state.lastResult }),
    },
  };
}
