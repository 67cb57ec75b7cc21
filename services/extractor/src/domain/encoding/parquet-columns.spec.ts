import { describe, expect, it } from '@jest/globals';

import { parquetColumn, parquetSchema, unscaled } from './parquet-columns.js';

const convert = (type: Parameters<typeof parquetColumn>[0]['type'], value: unknown) =>
  parquetColumn({ name: 'c', type }).convert(value);

describe('parquetColumn', () => {
  it('converts NUMERIC and BIGNUMERIC to exact unscaled integers', () => {
    expect(convert('NUMERIC', { toFixed: () => '-99999999999999999999999999999.999999999' })).toBe(
      -99_999_999_999_999_999_999_999_999_999_999_999_999n,
    );
    expect(
      convert('BIGNUMERIC', '578960446186580977117854925043439539266.34992332820282019728792003956564819967'),
    ).toBe(
      57_896_044_618_658_097_711_785_492_504_343_953_926_634_992_332_820_282_019_728_792_003_956_564_819_967n,
    );
    expect(unscaled('12', 9)).toBe(12_000_000_000n);
    expect(() => unscaled('1e5', 9)).toThrow(/scale/);
  });

  it('converts dates and times to days and microseconds', () => {
    expect(convert('DATE', { value: '1970-01-02' })).toBe(1);
    expect(convert('DATE', { value: '1969-12-31' })).toBe(-1);
    expect(convert('DATE', { value: '0001-01-01' })).toBe(-719_162);
    expect(convert('TIME', { value: '00:00:01.5' })).toBe(1_500_000n);
    expect(convert('DATETIME', { value: '1970-01-01T00:00:00.000001' })).toBe(1n);
    expect(convert('TIMESTAMP', { value: '1969-12-31T23:59:59.999999Z' })).toBe(-1n);
  });

  it('keeps INT64 exact from every SDK shape, and NULL as null', () => {
    expect(convert('INT64', 9_007_199_254_740_993n)).toBe(9_007_199_254_740_993n);
    expect(convert('INT64', { value: '-9223372036854775808' })).toBe(-9_223_372_036_854_775_808n);
    expect(convert('INT64', 7)).toBe(7n);
    for (const type of ['INT64', 'STRING', 'BYTES', 'DATE', 'NUMERIC'] as const)
      expect(convert(type, null)).toBeNull();
  });

  it('writes JSON and GEOGRAPHY as UTF-8 text and builds an all-OPTIONAL schema', () => {
    expect(convert('JSON', { a: 1 })).toBe('{"a":1}');
    expect(convert('GEOGRAPHY', { value: 'POINT(1 2)' })).toBe('POINT(1 2)');
    const schema = parquetSchema([
      parquetColumn({ name: 'a', type: 'STRING' }),
      parquetColumn({ name: 'b', type: 'BOOL' }),
    ]);
    expect(schema).toEqual([
      { name: 'root', num_children: 2 },
      {
        name: 'a',
        repetition_type: 'OPTIONAL',
        type: 'BYTE_ARRAY',
        converted_type: 'UTF8',
        logical_type: { type: 'STRING' },
      },
      { name: 'b', repetition_type: 'OPTIONAL', type: 'BOOLEAN' },
    ]);
  });
});
