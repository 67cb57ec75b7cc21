import { describe, expect, it } from '@jest/globals';

import { columnFromField } from './column-schema.js';
import { createValueRenderer, float64Text } from './value-text.js';

// Structural stand-ins for the SDK's wrapper classes (the stream tests use the real SDK).
const wrapped = (value: string) => ({ value });
const big = (text: string) => ({ toFixed: () => text });

describe('createValueRenderer', () => {
  it('renders NULL (null and undefined) as null for every type', () => {
    const types = [
      'STRING',
      'BYTES',
      'INT64',
      'FLOAT64',
      'NUMERIC',
      'BIGNUMERIC',
      'BOOL',
      'DATE',
      'DATETIME',
      'TIME',
      'TIMESTAMP',
      'JSON',
      'GEOGRAPHY',
    ] as const;
    for (const type of types) {
      expect([type, createValueRenderer(type)(null), createValueRenderer(type)(undefined)]).toEqual([
        type,
        null,
        null,
      ]);
    }
  });

  it('renders TIMESTAMP like BigQuery, with the fraction only when non-zero', () => {
    const render = createValueRenderer('TIMESTAMP');
    expect(render(wrapped('2024-01-02T03:04:05.123456000Z'))).toBe('2024-01-02 03:04:05.123456 UTC');
    expect(render(wrapped('2024-01-02T03:04:05.120Z'))).toBe('2024-01-02 03:04:05.120000 UTC');
    expect(render(wrapped('2024-01-02T03:04:05.000Z'))).toBe('2024-01-02 03:04:05 UTC');
    expect(render(wrapped('0001-01-01T00:00:00Z'))).toBe('0001-01-01 00:00:00 UTC');
    expect(render(new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6)))).toBe('2024-01-02 03:04:05.006000 UTC');
    expect(render(wrapped('2024-01-02T04:04:05.5+01:00'))).toBe('2024-01-02 03:04:05.500000 UTC');
  });

  it('renders TIMESTAMP as ISO 8601 and in other zones when asked', () => {
    expect(
      createValueRenderer('TIMESTAMP', { timestampFormat: 'iso8601' })(wrapped('2024-01-02T03:04:05Z')),
    ).toBe('2024-01-02T03:04:05.000000Z');
    const chicago = createValueRenderer('TIMESTAMP', { timeZone: 'America/Chicago' });
    expect(chicago(wrapped('2024-01-02T03:04:05.000001Z'))).toBe('2024-01-01 21:04:05.000001-06:00');
    expect(chicago(wrapped('2024-07-02T03:04:05Z'))).toBe('2024-07-01 22:04:05-05:00');
    const iso = createValueRenderer('TIMESTAMP', { timeZone: 'Asia/Kolkata', timestampFormat: 'iso8601' });
    expect(iso(wrapped('2024-01-02T03:04:05Z'))).toBe('2024-01-02T08:34:05.000000+05:30');
  });

  it('renders DATE, DATETIME (with T), TIME and GEOGRAPHY text', () => {
    expect(createValueRenderer('DATE')(wrapped('2024-02-29'))).toBe('2024-02-29');
    expect(createValueRenderer('DATETIME')(wrapped('2024-02-29 23:59:59.999999'))).toBe(
      '2024-02-29T23:59:59.999999',
    );
    expect(createValueRenderer('DATETIME')(wrapped('2024-02-29T00:00:00'))).toBe('2024-02-29T00:00:00');
    expect(createValueRenderer('TIME')(wrapped('23:59:59.5'))).toBe('23:59:59.5');
    expect(createValueRenderer('GEOGRAPHY')(wrapped('POINT(1 2)'))).toBe('POINT(1 2)');
  });

  it('renders INT64 exactly beyond 2^53 and refuses an unsafe number', () => {
    const render = createValueRenderer('INT64');
    expect(render(9_223_372_036_854_775_807n)).toBe('9223372036854775807');
    expect(render(-9_223_372_036_854_775_808n)).toBe('-9223372036854775808');
    expect(render(wrapped('9007199254740993'))).toBe('9007199254740993');
    expect(render(42)).toBe('42');
    expect(() => render(2 ** 53 + 2)).toThrow(/INT64/);
  });

  it('renders FLOAT64 with BigQuery names for the non-finite values', () => {
    expect([NaN, Infinity, -Infinity, -0, 0.1, -2.5e-8, 1e21, 123].map(float64Text)).toEqual([
      'nan',
      'inf',
      '-inf',
      '-0',
      '0.1',
      '-2.5e-8',
      '1e+21',
      '123',
    ]);
  });

  it('renders NUMERIC and BIGNUMERIC exactly through toFixed, never through a float', () => {
    expect(createValueRenderer('NUMERIC')(big('12345678901234567890123456789.123456789'))).toBe(
      '12345678901234567890123456789.123456789',
    );
    expect(createValueRenderer('BIGNUMERIC')('-0.00000000000000000000000000000000000001')).toBe(
      '-0.00000000000000000000000000000000000001',
    );
    expect(() => createValueRenderer('NUMERIC')(1.5)).toThrow(/NUMERIC/);
  });

  it('renders BOOL, BYTES as base64, JSON as text and STRING as is', () => {
    expect([true, false].map(createValueRenderer('BOOL'))).toEqual(['true', 'false']);
    expect(createValueRenderer('BYTES')(new Uint8Array([0, 255, 1, 2]))).toBe('AP8BAg==');
    expect(createValueRenderer('BYTES')(new Uint8Array([9, 0, 255, 1]).subarray(1, 3))).toBe('AP8=');
    expect(createValueRenderer('JSON')('{"a":[1,2]}')).toBe('{"a":[1,2]}');
    expect(createValueRenderer('JSON')({ a: [1, 2] })).toBe('{"a":[1,2]}');
    expect(createValueRenderer('STRING')('Zoë "x", y\n')).toBe('Zoë "x", y\n');
  });
});

describe('columnFromField', () => {
  it('maps legacy API type names and refuses nested or repeated fields', () => {
    expect(columnFromField({ name: 'a', type: 'INTEGER' })).toEqual({ name: 'a', type: 'INT64' });
    expect(columnFromField({ name: 'b', type: 'FLOAT' }).type).toBe('FLOAT64');
    expect(columnFromField({ name: 'c', type: 'BOOLEAN' }).type).toBe('BOOL');
    expect(() => columnFromField({ name: 'd', type: 'RECORD' })).toThrow(/column d/);
    expect(() => columnFromField({ name: 'e', type: 'STRING', mode: 'REPEATED' })).toThrow(/REPEATED/);
  });
});
