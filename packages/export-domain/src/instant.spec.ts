import { describe, expect, it } from '@jest/globals';

import { formatInstant, instantFromMillis, parseInstant, parseIsoInstant } from './instant.js';

describe('instants in microseconds', () => {
  it('parses ISO text with microseconds, spaces, UTC and offsets', () => {
    expect(parseInstant('1970-01-01T00:00:00.000001Z')).toBe(1n);
    expect(parseInstant('1970-01-01 00:00:01 UTC')).toBe(1_000_000n);
    expect(parseInstant('1970-01-01T01:00:00+01:00')).toBe(0n);
    expect(parseInstant('1970-01-01T00:00:00.123456789')).toBe(123_456n);
    expect(parseInstant('1969-12-31T23:59:59.999999Z')).toBe(-1n);
  });

  it('formats with exactly six fraction digits, also before 1970 and at the edges of BigQuery', () => {
    expect(formatInstant(-1n)).toBe('1969-12-31T23:59:59.999999Z');
    expect(formatInstant(parseInstant('0001-01-01T00:00:00Z'))).toBe('0001-01-01T00:00:00.000000Z');
    expect(formatInstant(parseInstant('9999-12-31T23:59:59.999999Z'))).toBe('9999-12-31T23:59:59.999999Z');
    expect(formatInstant(instantFromMillis(1_700_000_000_123))).toBe('2023-11-14T22:13:20.123000Z');
  });

  it('parses the SDK ISO text on a fast path that agrees with parseInstant', () => {
    for (const text of [
      '2024-01-02T03:04:05.123456789Z',
      '2024-01-02T03:04:05.1Z',
      '2024-01-02T03:04:05Z',
      '1969-12-31T23:59:59.999456Z',
      '0001-01-01T00:00:00.000000Z',
      '9999-12-31T23:59:59.999999000Z',
      '2024-01-02T04:04:05.5+01:00',
    ]) {
      expect([text, parseIsoInstant(text)]).toEqual([text, parseInstant(text)]);
    }
  });

  it('rejects text that is not an instant, naming the field', () => {
    expect(() => parseInstant('yesterday', 'start_at')).toThrow(/start_at/);
    expect(() => parseInstant('2024-02-30T00:00:00Z')).toThrow();
  });
});
