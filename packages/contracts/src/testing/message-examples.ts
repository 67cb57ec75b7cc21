import type { ExportEvent, ExportEventType } from '../schemas/export-event.schema.js';
import type { FileReady } from '../schemas/file-ready.schema.js';
import type { FreshnessTick } from '../schemas/freshness-tick.schema.js';

const sha256 = 'a'.repeat(64);
const window = { low: '2026-11-25T05:00:00.000000Z', high: '2026-11-26T05:00:00.000000Z' };

export const fileReadyExample: FileReady = {
  schemaVersion: 1,
  eventId: '9a1c3e5e-2b4d-5f60-8a71-0c2d3e4f5a6b',
  runId: 'run-20261126T050000Z-1',
  exportName: 'shopify_customers',
  configName: 'default',
  sourceTable: 'prod_staging.shopify_customerdata',
  gcs: {
    uri: 'gs://bqx-staging/default/shopify_customers/run-1.csv',
    generation: '1764133200000000',
    crc32c: 'AAAAAA==',
  },
  byteSize: 1024,
  sha256,
  rowCount: 10,
  format: 'csv',
  compression: 'none',
  destination: 'default',
  remoteDirectory: '/To_Verite',
  fileName: 'SHOPIFYCUSTOMERDATA_20261126_050000.csv',
  window,
  mode: 'incremental',
  createdAt: '2026-11-26T05:00:10Z',
};

const base = {
  schemaVersion: 1 as const,
  eventId: '1b2c3d4e-5f60-5a71-8b82-9c93a4b5c6d7',
  runId: 'run-20261126T050000Z-1',
  exportName: 'shopify_customers',
  configName: 'default',
  sourceTable: 'prod_staging.shopify_customerdata',
  occurredAt: '2026-11-26T05:00:20Z',
};
const error = { code: 'SFTP_NETWORK', message: 'connection reset', retryable: true };
const delivery = {
  destination: 'default',
  fileName: fileReadyExample.fileName,
  remotePath: `/To_Verite/${fileReadyExample.fileName}`,
  byteSize: 1024,
  sha256,
  rowCount: 10,
  window,
  fileEventId: fileReadyExample.eventId,
};
const file = {
  fileName: fileReadyExample.fileName,
  gcsUri: fileReadyExample.gcs.uri,
  generation: fileReadyExample.gcs.generation,
  byteSize: 1024,
  sha256,
  rowCount: 10,
  format: 'csv' as const,
  compression: 'none' as const,
};
const startedAt = '2026-11-26T05:00:00Z';

/** One valid example of every event type. */
export const exportEventExamples: { readonly [T in ExportEventType]: Extract<ExportEvent, { type: T }> } = {
  'extract.started': { ...base, type: 'extract.started', mode: 'incremental', window },
  'extract.staged': {
    ...base,
    type: 'extract.staged',
    mode: 'incremental',
    window,
    startedAt,
    file,
    lastExportedValue: '2026-11-26T04:59:59.999999Z',
  },
  'extract.empty': { ...base, type: 'extract.empty', mode: 'full', window: { high: window.high }, startedAt },
  'extract.skipped': { ...base, type: 'extract.skipped', reason: 'busy', leaseHolderRunId: 'run-0' },
  'extract.failed': {
    ...base,
    type: 'extract.failed',
    error: { ...error, code: 'BIGQUERY_QUERY_FAILED' },
    final: true,
  },
  'upload.delivered': {
    ...base,
    ...delivery,
    type: 'upload.delivered',
    attempt: 1,
    startedAt,
    durationMs: 1500,
  },
  'upload.duplicate': {
    ...base,
    ...delivery,
    type: 'upload.duplicate',
    original: { deliveredAt: startedAt, runId: 'run-20261126T050000Z-1' },
  },
  'upload.failed': {
    ...base,
    type: 'upload.failed',
    attempt: 3,
    destination: 'default',
    fileName: fileReadyExample.fileName,
    remoteDirectory: '/To_Verite',
    fileEventId: fileReadyExample.eventId,
    error,
    final: false,
  },
  'notification.sent': { ...base, type: 'notification.sent', channel: 'email', outcome: 'success' },
  'notification.failed': {
    ...base,
    type: 'notification.failed',
    channel: 'slack',
    outcome: 'failure',
    error: { code: 'SLACK_HTTP_500', message: 'server error', retryable: false },
  },
};

/** The freshness scheduler's body for the seed config, as decoded. */
export const freshnessTickExample: FreshnessTick = {
  schemaVersion: 1,
  type: 'freshness.tick',
  config: 'default',
};
