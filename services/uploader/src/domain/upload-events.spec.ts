import { describe, expect, it } from '@jest/globals';

import { encodeMessage, type FileReady } from '@bq-sftp-export/contracts';

import type { LedgerEntry } from './ledger-entry.js';
import { parseLedgerEntry } from './ledger-entry.js';
import { attemptOf, deliveredEvent, duplicateEvent, failedEvent } from './upload-events.js';

const file: FileReady = {
  schemaVersion: 1,
  eventId: '9a1c3e5e-2b4d-5f60-8a71-0c2d3e4f5a6b',
  runId: 'run-1',
  exportName: 'shopify_customers',
  configName: 'default',
  sourceTable: 'prod_staging.shopify_customerdata',
  gcs: { uri: 'gs://bqx-staging/exports/x.csv', generation: '17', crc32c: 'AAAAAA==' },
  byteSize: 1024,
  sha256: 'a'.repeat(64),
  rowCount: 10,
  format: 'csv',
  compression: 'none',
  destination: 'default',
  remoteDirectory: '/To_Verite',
  fileName: 'X.csv',
  window: { high: '2026-11-26T05:00:00Z' },
  mode: 'full',
  createdAt: '2026-11-26T05:00:10Z',
  lastExportedValue: '2026-11-26T04:59:59.999999Z',
};
const facts = {
  remotePath: '/To_Verite/X.csv',
  bytes: 1024,
  sha256: 'a'.repeat(64),
  startedAt: new Date('2026-11-26T05:01:00Z'),
  finishedAt: new Date('2026-11-26T05:01:02.500Z'),
  attempt: 2,
};
const error = { code: 'SFTP_NETWORK', message: 'connection reset', retryable: true };

describe('upload events', () => {
  it('are valid export.events', () => {
    const delivered = deliveredEvent(file, facts);
    const entry: LedgerEntry = {
      schemaVersion: 1,
      kind: 'delivery',
      delivered,
      outcome: 'uploaded',
      hostKeyFingerprint: 'SHA256:x',
    };
    for (const event of [
      delivered,
      duplicateEvent(file, entry, new Date('2026-11-26T06:00:00Z'), 1),
      failedEvent(file, error, new Date('2026-11-26T06:00:00Z'), 3, false),
    ]) {
      expect(() => encodeMessage('export.events', event)).not.toThrow();
    }
    expect(delivered).toMatchObject({
      durationMs: 2500,
      attempt: 2,
      occurredAt: '2026-11-26T05:01:02.500Z',
      lastExportedValue: '2026-11-26T04:59:59.999999Z',
    });
    expect(parseLedgerEntry(JSON.parse(JSON.stringify(entry)))).toEqual({ ok: true, entry });
  });

  it('have ids that are facts about the file: same on retry, distinct per kind, attempt and resend', () => {
    const now = new Date();
    expect(deliveredEvent(file, facts).eventId).toBe(deliveredEvent(file, { ...facts, attempt: 5 }).eventId);
    expect(failedEvent(file, error, now, 3, false).eventId).toBe(
      failedEvent(file, error, new Date(0), 3, false).eventId,
    );
    const ids = new Set([
      deliveredEvent(file, facts).eventId,
      deliveredEvent({ ...file, resendId: 'r-1', resendOf: file.eventId }, facts).eventId,
      failedEvent(file, error, now, 3, false).eventId,
      failedEvent(file, error, now, 4, false).eventId,
      failedEvent({ ...file, eventId: '1b2c3d4e-5f60-5a71-8b82-9c93a4b5c6d7' }, error, now, 3, false).eventId,
    ]);
    expect(ids.size).toBe(5);
  });

  it('count attempts from 1 when Pub/Sub does not report them', () => {
    expect(attemptOf(0)).toBe(1);
    expect(attemptOf(4)).toBe(4);
  });

  it('refuse a ledger record that is not a delivery', () => {
    const parsed = parseLedgerEntry({
      schemaVersion: 1,
      kind: 'delivery',
      delivered: { type: 'upload.failed' },
    });
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.problem).toContain('delivered');
  });
});
