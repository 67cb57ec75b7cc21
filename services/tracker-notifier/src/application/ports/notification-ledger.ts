import type { ServiceIdentifier } from 'inversify';

import type { RunAlertKind } from '../../domain/run-alerts.js';
import type { NotificationOutcome, RunResult } from '../../domain/run-outcome.js';

export type NotificationChannel = 'email' | 'slack';

/**
 * One notification: a run's result on one channel (a success and a recovery share a key), or
 * the run's late-rows alert (`late-rows`), or one of its alerts (`alert-<kind>`,
 * `notifications.alerts`).
 */
export interface NotificationKey {
  readonly configName: string;
  readonly exportName: string;
  readonly runId: string;
  readonly result: RunResult | 'late-rows' | `alert-${RunAlertKind}`;
  readonly channel: NotificationChannel;
}

/** What was done: `sent`, or `abandoned` when a retry could post twice (Slack 5xx or timeout). */
export interface NotificationRecord {
  readonly status: 'sent' | 'abandoned';
  /** The announced outcome; `alert` for an alert. */
  readonly outcome: NotificationOutcome | 'alert';
  readonly eventId: string;
  readonly at: string;
}

/** Which notifications were sent, so a redelivered event never sends one twice. */
export interface NotificationLedger {
  find(key: NotificationKey): Promise<NotificationRecord | undefined>;
  /** Create-only: a record that already exists is kept as it is. */
  record(key: NotificationKey, record: NotificationRecord): Promise<void>;
}

export const NotificationLedger: ServiceIdentifier<NotificationLedger> = Symbol('NotificationLedger');
