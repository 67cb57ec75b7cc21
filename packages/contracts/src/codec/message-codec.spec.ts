import { describe, expect, it } from '@jest/globals';

import { isAppError } from '@bq-sftp-export/runtime';

import type { MessageKind } from '../catalog/message-catalog.js';
import { exportEventExamples, fileReadyExample, freshnessTickExample } from '../testing/message-examples.js';
import { decodeMessage, encodeMessage } from './message-codec.js';

function decodeError(kind: MessageKind, payload: unknown, attributes: Record<string, string> = {}): Error {
  const data = typeof payload === 'string' ? payload : JSON.stringify(payload);
  try {
    decodeMessage(kind, Buffer.from(data), attributes);
  } catch (error) {
    if (!isAppError(error)) throw error;
    expect(error.code).toBe('MESSAGE_INVALID');
    expect(error.retryable).toBe(false);
    return error;
  }
  throw new Error('expected decodeMessage to throw');
}

const without = <T extends object>(value: T, key: keyof T): T => {
  const copy = { ...value };
  delete copy[key];
  return copy;
};

describe('export.requested', () => {
  it('accepts the seed scheduler body and defaults schemaVersion to 1', () => {
    expect(decodeMessage('export.requested', Buffer.from('{"config": "default"}'))).toEqual({
      schemaVersion: 1,
      config: 'default',
    });
  });

  it('accepts every optional field', () => {
    const request = {
      schemaVersion: 1,
      config: 'default',
      exports: ['shopify_customers'],
      mode: 'incremental',
      backfill: { from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z' },
      requestId: 'req-1',
    };
    expect(decodeMessage('export.requested', JSON.stringify(request))).toEqual(request);
  });

  it.each([
    ['missing config', {}, 'export.requested: config: Invalid input'],
    ['config with a path', { config: '../x' }, 'config: expected 1-128 letters'],
    ['typo in a field name', { config: 'default', export: ['a'] }, 'export: unknown field'],
    ['empty exports', { config: 'default', exports: [] }, 'exports: expected at least one export name'],
    ['duplicate exports', { config: 'default', exports: ['a', 'a'] }, 'exports: expected no duplicate'],
    ['unknown mode', { config: 'default', mode: 'delta' }, 'mode: Invalid option'],
    [
      'backfill from after to',
      { config: 'd', backfill: { from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' } },
      'backfill.to: expected from < to',
    ],
    [
      'backfill without zone',
      { config: 'd', backfill: { from: '2026-01-01T00:00:00', to: '2026-02-01T00:00:00Z' } },
      'backfill.from: expected an ISO-8601 instant',
    ],
    [
      'backfill with full mode',
      { config: 'd', mode: 'full', backfill: { from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z' } },
      'backfill: expected no backfill with mode "full"',
    ],
    ['bad request id', { config: 'd', requestId: 'a b' }, 'requestId: expected'],
    [
      'version 2',
      { config: 'd', schemaVersion: 2 },
      'schemaVersion: unsupported schema version (supported: 1)',
    ],
  ])('rejects %s', (_name, payload, expected) => {
    expect(decodeError('export.requested', payload).message).toContain(expected);
  });
});

describe('file.ready', () => {
  it('round-trips through encode and decode with attributes', () => {
    const encoded = encodeMessage('file.ready', fileReadyExample);
    expect(encoded.attributes).toEqual({
      eventType: 'file.ready',
      schemaVersion: '1',
      correlationId: fileReadyExample.runId,
    });
    expect(decodeMessage('file.ready', encoded.data, encoded.attributes)).toEqual(fileReadyExample);
  });

  it('accepts a resend and a window without a lower bound', () => {
    const resend = {
      ...fileReadyExample,
      window: { high: fileReadyExample.window.high },
      resendOf: fileReadyExample.eventId,
      resendId: 'resend-1',
    };
    expect(decodeMessage('file.ready', JSON.stringify(resend))).toEqual(resend);
  });

  it('drops unknown fields (tolerant reader)', () => {
    const decoded = decodeMessage('file.ready', JSON.stringify({ ...fileReadyExample, addedLater: 1 }));
    expect(decoded).toEqual(fileReadyExample);
  });

  const invalid: [string, unknown, string][] = [
    [
      'generation as a number',
      { ...fileReadyExample, gcs: { ...fileReadyExample.gcs, generation: 17 } },
      'file.ready: gcs.generation: Invalid input: expected string',
    ],
    [
      'generation with letters',
      { ...fileReadyExample, gcs: { ...fileReadyExample.gcs, generation: '17a' } },
      'file.ready: gcs.generation: expected a string of digits',
    ],
    [
      'http uri',
      { ...fileReadyExample, gcs: { ...fileReadyExample.gcs, uri: 'https://x/y' } },
      'gcs.uri: expected gs://bucket/object',
    ],
    [
      'bad crc32c',
      { ...fileReadyExample, gcs: { ...fileReadyExample.gcs, crc32c: 'xyz' } },
      'gcs.crc32c: expected a base64 CRC32C',
    ],
    [
      'uppercase sha256',
      { ...fileReadyExample, sha256: 'A'.repeat(64) },
      'sha256: expected 64 lowercase hex digits',
    ],
    ['negative byte size', { ...fileReadyExample, byteSize: -1 }, 'byteSize: expected a count >= 0'],
    ['fractional row count', { ...fileReadyExample, rowCount: 1.5 }, 'rowCount: expected an integer'],
    ['file name with a slash', { ...fileReadyExample, fileName: 'a/b.csv' }, 'fileName: expected no "/"'],
    ['file name with ..', { ...fileReadyExample, fileName: 'a..csv' }, 'fileName: expected no ".."'],
    [
      'file name with a control char',
      { ...fileReadyExample, fileName: 'a\u0007.csv' },
      'fileName: expected no control characters',
    ],
    [
      'window low after high',
      { ...fileReadyExample, window: { low: '2026-12-01T00:00:00Z', high: '2026-11-01T00:00:00Z' } },
      'window.high: expected low < high',
    ],
    ['window without high', { ...fileReadyExample, window: {} }, 'window.high: expected an ISO-8601 instant'],
    [
      'unknown format',
      { ...fileReadyExample, format: 'xlsx' },
      'format: Invalid option: expected one of "csv"|"parquet"',
    ],
    ['unknown compression', { ...fileReadyExample, compression: 'zstd' }, 'compression: Invalid option'],
    [
      'remote directory escaping',
      { ...fileReadyExample, remoteDirectory: '/a/../b' },
      'remoteDirectory: expected no ".." segment',
    ],
    [
      'resendOf without resendId',
      { ...fileReadyExample, resendOf: fileReadyExample.eventId },
      'resendId: expected resendOf and resendId together',
    ],
    ['eventId not a UUID', { ...fileReadyExample, eventId: 'e-1' }, 'eventId: expected a UUID'],
    [
      'missing schemaVersion',
      without(fileReadyExample, 'schemaVersion'),
      'schemaVersion: expected an integer schema version',
    ],
    [
      'schemaVersion 2',
      { ...fileReadyExample, schemaVersion: 2 },
      'schemaVersion: unsupported schema version',
    ],
    ['missing createdAt', without(fileReadyExample, 'createdAt'), 'createdAt: expected an ISO-8601 instant'],
  ];
  it.each(invalid)('rejects %s', (_name, payload, expected) => {
    expect(decodeError('file.ready', payload).message).toContain(expected);
  });

  it('reports every problem at once', () => {
    const message = decodeError('file.ready', { ...fileReadyExample, byteSize: -1, format: 'xlsx' }).message;
    expect(message).toContain('byteSize');
    expect(message).toContain('format');
  });

  it('never puts payload values in the error', () => {
    const secretish = 'hunter2-row-value';
    const message = decodeError('file.ready', {
      ...fileReadyExample,
      fileName: `${secretish}/x`,
      format: secretish,
      sha256: secretish,
      gcs: { ...fileReadyExample.gcs, generation: secretish },
    }).message;
    expect(message).not.toContain(secretish);
    expect(decodeError('file.ready', `{"fileName": "${secretish}"`).message).not.toContain(secretish);
  });

  it('refuses to encode an invalid message', () => {
    expect(() => encodeMessage('file.ready', { ...fileReadyExample, sha256: 'x' })).toThrow(
      'file.ready: sha256: expected 64 lowercase hex digits',
    );
  });
});

describe('decoding envelopes', () => {
  it.each([
    ['malformed JSON', '{"config":', 'export.requested: malformed JSON'],
    ['a JSON array', '[1]', 'export.requested: expected a JSON object'],
    ['JSON null', 'null', 'export.requested: expected a JSON object'],
    [
      'a schemaVersion string',
      '{"config":"d","schemaVersion":"1"}',
      'schemaVersion: expected an integer schema version',
    ],
  ])('rejects %s', (_name, text, expected) => {
    expect(decodeError('export.requested', text).message).toContain(expected);
  });

  it('rejects bytes that are not UTF-8', () => {
    expect(() => decodeMessage('export.requested', Buffer.from([0x7b, 0xff, 0x7d]))).toThrow(
      'malformed JSON: expected UTF-8 text',
    );
  });

  it('rejects attributes that contradict the payload', () => {
    const message = decodeError('export.events', exportEventExamples['extract.started'], {
      eventType: 'upload.delivered',
      schemaVersion: '2',
    }).message;
    expect(message).toContain("attributes.schemaVersion: expected the payload's schemaVersion");
    expect(message).toContain("attributes.eventType: expected the payload's event type");
  });

  it('sets correlationId from the request id, and leaves it out when there is none', () => {
    expect(encodeMessage('export.requested', { config: 'default', requestId: 'req-7' }).attributes).toEqual({
      eventType: 'export.requested',
      schemaVersion: '1',
      correlationId: 'req-7',
    });
    expect(encodeMessage('export.requested', { config: 'default' }).attributes).toEqual({
      eventType: 'export.requested',
      schemaVersion: '1',
    });
  });
});

describe('freshness.tick', () => {
  it('accepts the scheduler body without schemaVersion and round-trips with its attributes', () => {
    const body = Buffer.from('{"type": "freshness.tick", "config": "default"}');
    expect(decodeMessage('freshness.tick', body)).toEqual(freshnessTickExample);
    const encoded = encodeMessage('freshness.tick', { type: 'freshness.tick', config: 'default' });
    expect(encoded.attributes).toEqual({ eventType: 'freshness.tick', schemaVersion: '1' });
    expect(decodeMessage('freshness.tick', encoded.data, encoded.attributes)).toEqual(freshnessTickExample);
  });

  it.each([
    ['no config', { type: 'freshness.tick' }, 'freshness.tick: config: Invalid input'],
    [
      'an unknown field',
      { type: 'freshness.tick', config: 'default', at: 1 },
      'freshness.tick: at: unknown field',
    ],
    ['another type', { type: 'extract.started', config: 'default' }, 'freshness.tick: type: Invalid input'],
  ])('rejects %s', (_name, payload, expected) => {
    expect(decodeError('freshness.tick', JSON.stringify(payload)).message).toContain(expected);
  });
});

describe('export.events', () => {
  it.each(Object.values(exportEventExamples))('round-trips $type', (event) => {
    const encoded = encodeMessage('export.events', event);
    expect(encoded.attributes['eventType']).toBe(event.type);
    expect(encoded.attributes['correlationId']).toBe(event.runId);
    expect(decodeMessage('export.events', encoded.data, encoded.attributes)).toEqual(event);
  });

  it('carries the late-row count of a staged or empty run: a number, or null with its reason', () => {
    const staged = { ...exportEventExamples['extract.staged'], lateRows: 3 };
    const encoded = encodeMessage('export.events', staged);
    expect(decodeMessage('export.events', encoded.data)).toMatchObject({ lateRows: 3 });
    const empty = {
      ...exportEventExamples['extract.empty'],
      lateRows: null,
      lateRowsReason: 'no_previous_snapshot' as const,
    };
    expect(decodeMessage('export.events', encodeMessage('export.events', empty).data)).toMatchObject({
      lateRows: null,
      lateRowsReason: 'no_previous_snapshot',
    });
    expect(decodeError('export.events', { ...staged, lateRows: 1.5 }).message).toContain(
      'lateRows: expected an integer',
    );
    expect(decodeError('export.events', { ...staged, lateRowsReason: 'guess' }).message).toContain(
      'lateRowsReason: Invalid option',
    );
  });

  const started = exportEventExamples['extract.started'];
  const delivered = exportEventExamples['upload.delivered'];
  const failed = exportEventExamples['extract.failed'];
  it.each([
    [
      'an unknown type',
      { ...started, type: 'extract.finished' },
      "type: Invalid discriminator value. Expected 'extract.started'",
    ],
    ['a delivery without attempt', without(delivered, 'attempt'), 'attempt: Invalid input'],
    ['attempt 0', { ...delivered, attempt: 0 }, 'attempt: expected an attempt >= 1'],
    ['a negative duration', { ...delivered, durationMs: -5 }, 'durationMs: expected a duration >= 0'],
    [
      'a lowercase error code',
      { ...failed, error: { ...failed.error, code: 'oops' } },
      'error.code: expected an UPPER_SNAKE error code',
    ],
    [
      'an error without retryable',
      { ...failed, error: { code: 'X', message: 'm' } },
      'error.retryable: Invalid input',
    ],
    [
      'a skip for an unknown reason',
      { ...exportEventExamples['extract.skipped'], reason: 'tired' },
      'reason: Invalid input: expected "busy"',
    ],
    [
      'a notification on a fax channel',
      { ...exportEventExamples['notification.sent'], channel: 'fax' },
      'channel: Invalid option',
    ],
    [
      'a staged file without sha256',
      {
        ...exportEventExamples['extract.staged'],
        file: without(exportEventExamples['extract.staged'].file, 'sha256'),
      },
      'file.sha256: Invalid input',
    ],
    [
      'an occurredAt that is not a date',
      { ...started, occurredAt: 'yesterday' },
      'occurredAt: expected an ISO-8601 instant',
    ],
  ])('rejects %s', (_name, payload, expected) => {
    expect(decodeError('export.events', payload).message).toContain(expected);
  });
});
