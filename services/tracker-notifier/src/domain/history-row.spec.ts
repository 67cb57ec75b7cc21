import type { ExportEvent } from '@bq-sftp-export/contracts';
import { EXPORT_EVENT_TYPES } from '@bq-sftp-export/contracts';
import { describe, expect, it } from '@jest/globals';

import { events, FILE_NAME, runFacts, windowOf } from './testing/events.js';
import { HISTORY_COLUMNS } from './history-columns.js';
import { historyRowOf } from './history-row.js';
import { notificationEventOf } from './notification-event.js';

const run = runFacts('run-1');
const recordedAt = new Date('2026-11-26T06:00:00Z');
const row = (event: ExportEvent) => historyRowOf(event, recordedAt);

const sent = notificationEventOf({
  cause: events.extractFailed(run),
  result: 'failure',
  outcome: 'failure',
  channel: 'email',
  at: recordedAt,
});
const notSent = notificationEventOf({
  cause: events.extractFailed(run),
  result: 'failure',
  outcome: 'failure',
  channel: 'slack',
  at: recordedAt,
  error: { code: 'SLACK_HTTP_500', message: 'Slack post failed: HTTP 500', retryable: false },
});

const everyKind: ExportEvent[] = [
  events.started(run),
  events.staged(run),
  events.empty(run),
  events.skipped(run),
  events.extractFailed(run),
  events.delivered(run),
  events.duplicate(run),
  events.uploadFailed(run),
  sent,
  notSent,
];

describe('historyRowOf', () => {
  it('covers every event kind of the contracts', () => {
    expect(new Set(everyKind.map((event) => event.type))).toEqual(new Set(EXPORT_EVENT_TYPES));
  });

  it('fills exactly the table columns, with the run facts on every row', () => {
    const names = HISTORY_COLUMNS.map((column) => column.name).sort();
    for (const event of everyKind) {
      const result = row(event);
      expect(Object.keys(result).sort()).toEqual(names);
      expect(result).toMatchObject({
        export_name: 'shopify_customers',
        source_table: 'prod_staging.shopify_customerdata',
        run_id: 'run-1',
        event_id: event.eventId,
        event_type: event.type,
        config_name: 'default',
        occurred_at: event.occurredAt,
        recorded_at: '2026-11-26T06:00:00.000Z',
      });
    }
  });

  it('maps a staged file to the seed columns and the file facts', () => {
    expect(row(events.staged(run))).toMatchObject({
      export_status: 'staged',
      last_export_timestamp: windowOf(run).high,
      last_exported_value: '2026-11-26T04:59:59.5Z',
      rows_exported: 42,
      file_name: FILE_NAME,
      started_at: '2026-11-26T05:00:00.000Z',
      completed_at: '2026-11-26T05:00:10.000Z',
      window_low: windowOf(run).low,
      window_high: windowOf(run).high,
      mode: 'incremental',
      byte_size: 2048,
      sha256: 'b'.repeat(64),
      staged_uri: 'gs://bqx-staging/staging/default/shopify_customers/run-1.csv#1764133200000000',
      error_message: null,
    });
  });

  it('maps a delivery to success with where it went and how long it took', () => {
    expect(row(events.delivered(run))).toMatchObject({
      export_status: 'success',
      last_export_timestamp: windowOf(run).high,
      rows_exported: 42,
      // The seed's monitoring query reads the latest row: the delivery's, so it carries it too.
      last_exported_value: '2026-11-26T04:59:59.5Z',
      file_name: FILE_NAME,
      remote_path: `/To_Verite/${FILE_NAME}`,
      destination: 'default',
      attempt: 1,
      duration_ms: 1500,
      started_at: '2026-11-26T05:00:20.000Z',
      completed_at: '2026-11-26T05:00:30.000Z',
      resend_id: null,
    });
    expect(row({ ...events.delivered(run), resendId: 'resend-1' }).resend_id).toBe('resend-1');
    expect(row(events.duplicate(run))).toMatchObject({
      export_status: 'duplicate',
      remote_path: `/To_Verite/${FILE_NAME}`,
    });
  });

  it('maps an empty window to a success with no rows, and a skip to skipped', () => {
    expect(row(events.empty(run))).toMatchObject({
      export_status: 'success',
      rows_exported: 0,
      file_name: null,
      last_export_timestamp: windowOf(run).high,
      duration_ms: 5000,
    });
    expect(row(events.skipped(run))).toMatchObject({ export_status: 'skipped', window_high: null });
  });

  it('tells a failure that will be retried from one that is final', () => {
    expect(row(events.uploadFailed(run, true, 3))).toMatchObject({
      export_status: 'retrying',
      error_code: 'SFTP_AUTH_FAILED',
      error_message: 'authentication failed for user partner',
      error_retryable: true,
      attempt: 3,
      remote_path: `/To_Verite/${FILE_NAME}`,
    });
    expect(row(events.uploadFailed(run, false, 1)).export_status).toBe('failed');
    expect(row(events.uploadFailed(run, true, 10)).export_status).toBe('failed');
    expect(row(events.extractFailed(run, true, 2)).export_status).toBe('retrying');
    expect(row(events.extractFailed(run, false)).export_status).toBe('failed');
  });

  it('records notifications with their channel, outcome and error', () => {
    expect(row(sent)).toMatchObject({
      export_status: 'notified',
      notification_channel: 'email',
      notification_outcome: 'failure',
      error_code: null,
    });
    expect(row(notSent)).toMatchObject({
      export_status: 'notification_failed',
      notification_channel: 'slack',
      error_code: 'SLACK_HTTP_500',
      error_retryable: false,
    });
  });
});
