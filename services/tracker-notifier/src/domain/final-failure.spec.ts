import { describe, expect, it } from '@jest/globals';

import { MAX_DELIVERY_ATTEMPTS } from '@bq-sftp-export/contracts';

import { isFinalFailure } from './final-failure.js';
import { historyRowOf } from './history-row.js';
import { runResultOf } from './run-outcome.js';
import { events, runFacts } from './testing/events.js';

const run = runFacts('run-final');
const retryable = { code: 'SFTP_NETWORK', message: 'connection reset', retryable: true };
const permanent = { ...retryable, code: 'SFTP_AUTH_FAILED', retryable: false };

describe('isFinalFailure', () => {
  it("takes the producer's final flag over what error.retryable and attempt suggest", () => {
    expect(isFinalFailure({ error: retryable, attempt: 1, final: true })).toBe(true);
    expect(isFinalFailure({ error: permanent, attempt: 1, final: false })).toBe(false);
    expect(isFinalFailure({ error: retryable, attempt: MAX_DELIVERY_ATTEMPTS, final: false })).toBe(false);
  });

  it('infers it for events without the flag (published before it existed)', () => {
    expect(isFinalFailure({ error: permanent, attempt: 1 })).toBe(true);
    expect(isFinalFailure({ error: retryable, attempt: MAX_DELIVERY_ATTEMPTS })).toBe(true);
    expect(isFinalFailure({ error: retryable, attempt: MAX_DELIVERY_ATTEMPTS - 1 })).toBe(false);
    expect(isFinalFailure({ error: retryable })).toBe(false);
  });

  it('decides the history status and the run result of upload.failed and extract.failed', () => {
    const recordedAt = new Date('2026-11-26T06:00:00Z');
    // Retryable on its first attempt, but the producer knows no retry follows (and the reverse).
    const finalUpload = { ...events.uploadFailed(run, true, 1), final: true };
    const retriedUpload = { ...events.uploadFailed(run, false, 1), final: false };
    const finalExtract = { ...events.extractFailed(run, true, 2), final: true };
    expect(historyRowOf(finalUpload, recordedAt).export_status).toBe('failed');
    expect(runResultOf(finalUpload)).toBe('failure');
    expect(historyRowOf(retriedUpload, recordedAt).export_status).toBe('retrying');
    expect(runResultOf(retriedUpload)).toBeUndefined();
    expect(historyRowOf(finalExtract, recordedAt).export_status).toBe('failed');
    expect(runResultOf(finalExtract)).toBe('failure');
  });
});
