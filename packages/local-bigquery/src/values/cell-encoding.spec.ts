import { describe, expect, it } from '@jest/globals';
import {
  DuckDBBlobValue,
  DuckDBListValue,
  DuckDBStructValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  DuckDBTimeValue,
} from '@duckdb/node-api';
import { encodeRow, formatDatetime, formatTime, trimDecimal } from './cell-encoding.js';

describe('cell encoding', () => {
  it('encodes scalars as the REST API does', () => {
    const fields = [
      { name: 'i', type: 'INTEGER' },
      { name: 'f', type: 'FLOAT' },
      { name: 'b', type: 'BOOLEAN' },
      { name: 'by', type: 'BYTES' },
      { name: 'ts', type: 'TIMESTAMP' },
      { name: 'n', type: 'FLOAT' },
    ];
    const row = encodeRow(
      fields,
      [
        12n,
        -Infinity,
        false,
        new DuckDBBlobValue(new Uint8Array([255, 0])),
        new DuckDBTimestampTZValue(1_700_000_000_123_456n),
        NaN,
      ],
      { useInt64Timestamp: true },
    );
    expect(row).toEqual({
      f: [
        { v: '12' },
        { v: '-Infinity' },
        { v: 'false' },
        { v: '/wA=' },
        { v: '1700000000123456' },
        { v: 'NaN' },
      ],
    });
  });

  it('keeps the sign of FLOAT64 negative zero', () => {
    const fields = [
      { name: 'neg', type: 'FLOAT' },
      { name: 'pos', type: 'FLOAT' },
    ];
    expect(encodeRow(fields, [-0, 0], { useInt64Timestamp: true })).toEqual({ f: [{ v: '-0' }, { v: '0' }] });
  });

  it('encodes TIMESTAMP as float seconds without useInt64Timestamp, negative times included', () => {
    const fields = [{ name: 'ts', type: 'TIMESTAMP' }];
    expect(encodeRow(fields, [new DuckDBTimestampTZValue(1_500_000n)], { useInt64Timestamp: false })).toEqual(
      { f: [{ v: '1.500000' }] },
    );
    expect(
      encodeRow(fields, [new DuckDBTimestampTZValue(-1_500_000n)], { useInt64Timestamp: false }),
    ).toEqual({ f: [{ v: '-1.500000' }] });
  });

  it('encodes REPEATED (NULL as empty) and RECORD values', () => {
    const fields = [
      { name: 'tags', type: 'STRING', mode: 'REPEATED' as const },
      { name: 'none', type: 'STRING', mode: 'REPEATED' as const },
      { name: 'rec', type: 'RECORD', fields: [{ name: 'a', type: 'INTEGER' }] },
    ];
    const row = encodeRow(fields, [new DuckDBListValue(['x']), null, new DuckDBStructValue({ a: 1 })], {
      useInt64Timestamp: true,
    });
    expect(row).toEqual({ f: [{ v: [{ v: 'x' }] }, { v: [] }, { v: { f: [{ v: '1' }] } }] });
  });

  it('formats DATETIME and TIME like BigQuery, before 1970 too', () => {
    expect(formatDatetime(new DuckDBTimestampValue(1_704_067_200_000_001n).micros)).toBe(
      '2024-01-01T00:00:00.000001',
    );
    expect(formatDatetime(-1n)).toBe('1969-12-31T23:59:59.999999');
    expect(formatTime(new DuckDBTimeValue(3_600_000_000n).micros)).toBe('01:00:00');
  });

  it('trims NUMERIC trailing zeros', () => {
    expect(trimDecimal('12.500000000')).toBe('12.5');
    expect(trimDecimal('3.000')).toBe('3');
    expect(trimDecimal('100')).toBe('100');
  });
});
