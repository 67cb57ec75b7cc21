import { describe, expect, it } from '@jest/globals';

import type { ExportEvent } from '@bq-sftp-export/contracts';

import { RunProgress } from './run-progress.js';

const base = (exportName: string, runId: string) => ({
  schemaVersion: 1 as const,
  eventId: '6f1c1c1e-7a53-4f5e-9a63-4b7f3d2f0c11',
  runId,
  exportName,
  configName: 'default',
  sourceTable: `prod_staging.${exportName}`,
  occurredAt: '2026-11-26T10:00:00Z',
});
const window = { high: '2026-11-26T10:00:00Z' };
const sha256 = 'a'.repeat(64);

const started = (exportName: string, runId: string, requestId = 'req-1'): ExportEvent => ({
  ...base(exportName, runId),
  type: 'extract.started',
  mode: 'incremental',
  window,
  requestId,
});
const staged = (exportName: string, runId: string, rowCount: number): ExportEvent => ({
  ...base(exportName, runId),
  type: 'extract.staged',
  mode: 'incremental',
  window,
  startedAt: '2026-11-26T10:00:00Z',
  file: {
    fileName: `${exportName}.csv`,
    gcsUri: `gs://local-staging/exports/${exportName}.csv`,
    generation: '1',
    byteSize: 2048,
    sha256,
    rowCount,
    format: 'csv',
    compression: 'none',
  },
});
const delivered = (exportName: string, runId: string): ExportEvent => ({
  ...base(exportName, runId),
  type: 'upload.delivered',
  attempt: 1,
  startedAt: '2026-11-26T10:00:01Z',
  durationMs: 5,
  destination: 'default',
  fileName: `${exportName}.csv`,
  remotePath: `/To_Verite/${exportName}.csv`,
  byteSize: 2048,
  sha256,
  rowCount: 3,
  fileEventId: '6f1c1c1e-7a53-4f5e-9a63-4b7f3d2f0c12',
});
const uploadFailed = (
  exportName: string,
  runId: string,
  attempt: number,
  retryable: boolean,
): ExportEvent => ({
  ...base(exportName, runId),
  type: 'upload.failed',
  attempt,
  destination: 'default',
  fileName: `${exportName}.csv`,
  remoteDirectory: '/To_Verite',
  fileEventId: '6f1c1c1e-7a53-4f5e-9a63-4b7f3d2f0c12',
  error: { code: 'SFTP_CONNECT_FAILED', message: 'connection refused', retryable },
});

describe('RunProgress', () => {
  it('follows each export from its start to delivery, counting rows so far', () => {
    const progress = new RunProgress('default', ['a', 'b'], 'req-1');
    expect(progress.apply(started('a', 'run-a'))).toContain('a: extracting prod_staging.a');
    expect(progress.apply(started('b', 'run-b'))).toBeDefined();
    expect(progress.apply(staged('a', 'run-a', 3))).toContain('3 rows so far');
    expect(progress.apply(staged('b', 'run-b', 4))).toContain('7 rows so far');
    expect(progress.settled()).toBe(false);
    expect(progress.apply(delivered('a', 'run-a'))).toContain('delivered /To_Verite/a.csv');
    expect(progress.apply(delivered('b', 'run-b'))).toBeDefined();
    expect(progress.settled()).toBe(true);
    expect(progress.failures()).toEqual([]);
    expect(progress.runIds()).toEqual(['run-a', 'run-b']);
    expect(progress.exports()[0]).toMatchObject({
      step: 'delivered',
      rows: 3,
      remotePath: '/To_Verite/a.csv',
    });
  });

  it("ignores other requests' and other configs' runs", () => {
    const progress = new RunProgress('default', ['a'], 'req-1');
    expect(progress.apply(started('a', 'run-old', 'req-0'))).toBeUndefined();
    expect(progress.apply(started('a', 'run-a'))).toBeDefined();
    expect(progress.apply(delivered('a', 'run-old'))).toBeUndefined();
    expect(progress.apply({ ...delivered('a', 'run-a'), configName: 'other' })).toBeUndefined();
    expect(progress.settled()).toBe(false);
  });

  it('reports retried failures without settling, and settles on a final one', () => {
    const progress = new RunProgress('default', ['a'], 'req-1');
    progress.apply(started('a', 'run-a'));
    expect(progress.apply(uploadFailed('a', 'run-a', 1, true))).toContain('Pub/Sub will retry');
    expect(progress.settled()).toBe(false);
    expect(progress.apply(uploadFailed('a', 'run-a', 10, true))).toContain(
      'upload FAILED: SFTP_CONNECT_FAILED: connection refused',
    );
    expect(progress.settled()).toBe(true);
    expect(progress.failures()[0]?.error).toMatchObject({ step: 'upload', code: 'SFTP_CONNECT_FAILED' });
  });

  it('stays settled when the upload outcome arrives before the extractor start and staged events', () => {
    const progress = new RunProgress('default', ['a'], 'req-1');
    expect(progress.apply(uploadFailed('a', 'run-a', 1, false))).toContain('upload FAILED');
    expect(progress.apply(started('a', 'run-a'))).toBeUndefined();
    expect(progress.apply(staged('a', 'run-a', 3))).toContain('3 rows so far');
    expect(progress.settled()).toBe(true);
    expect(progress.exports()[0]).toMatchObject({ step: 'failed', rows: 3, runId: 'run-a' });
  });

  it('counts an empty window as settled', () => {
    const progress = new RunProgress('default', ['a'], 'req-1');
    progress.apply(started('a', 'run-a'));
    expect(
      progress.apply({
        ...base('a', 'run-a'),
        type: 'extract.empty',
        mode: 'incremental',
        window,
        startedAt: window.high,
      }),
    ).toContain('no new rows');
    expect(progress.settled()).toBe(true);
  });
});
