import { describe, expect, it } from '@jest/globals';
import { sqlLiteral } from './sql-literal.js';

describe('sqlLiteral', () => {
  it('writes scalars as typed DuckDB literals', () => {
    expect(sqlLiteral({ type: 'STRING' }, { value: "a'b" })).toBe("CAST('a''b' AS VARCHAR)");
    expect(sqlLiteral({ type: 'INT64' }, { value: '-12' })).toBe("CAST('-12' AS BIGINT)");
    expect(sqlLiteral({ type: 'FLOAT64' }, { value: 'nan' })).toBe("CAST('NaN' AS DOUBLE)");
    expect(sqlLiteral({ type: 'NUMERIC' }, { value: '1.5' })).toBe("CAST('1.5' AS DECIMAL(38,9))");
    expect(sqlLiteral({ type: 'BOOL' }, { value: true })).toBe('TRUE');
    expect(sqlLiteral({ type: 'BYTES' }, { value: 'AAE=' })).toBe("from_base64('AAE=')");
    expect(sqlLiteral({ type: 'DATETIME' }, { value: '2024-01-01T10:00:00' })).toBe(
      "CAST('2024-01-01 10:00:00' AS TIMESTAMP)",
    );
  });

  it('reads TIMESTAMP text with any offset, UTC suffix, or epoch seconds', () => {
    expect(sqlLiteral({ type: 'TIMESTAMP' }, { value: '2024-01-01 10:00:00 UTC' })).toBe(
      "CAST('2024-01-01 10:00:00+00' AS TIMESTAMPTZ)",
    );
    expect(sqlLiteral({ type: 'TIMESTAMP' }, { value: '2024-01-01 10:00:00 +02:00' })).toBe(
      "CAST('2024-01-01 10:00:00+02:00' AS TIMESTAMPTZ)",
    );
    expect(sqlLiteral({ type: 'TIMESTAMP' }, { value: 1.5 })).toContain('make_timestamp');
  });

  it('writes typed NULLs, arrays and structs', () => {
    expect(sqlLiteral({ type: 'DATE' }, { value: null })).toBe('CAST(NULL AS DATE)');
    expect(
      sqlLiteral({ type: 'ARRAY', arrayType: { type: 'INT64' } }, { arrayValues: [{ value: '1' }] }),
    ).toBe("CAST([CAST('1' AS BIGINT)] AS BIGINT[])");
    expect(sqlLiteral({ type: 'ARRAY', arrayType: { type: 'INT64' } }, { arrayValues: [] })).toBe(
      'CAST([] AS BIGINT[])',
    );
    expect(
      sqlLiteral(
        { type: 'STRUCT', structTypes: [{ name: 'a', type: { type: 'BOOL' } }] },
        { structValues: { a: { value: 'false' } } },
      ),
    ).toBe(`CAST({'a': FALSE} AS STRUCT("a" BOOLEAN))`);
  });

  it('refuses malformed values without echoing them', () => {
    expect(() => sqlLiteral({ type: 'INT64' }, { value: '1; DROP TABLE x' })).toThrow('Invalid INT64 value');
    expect(() => sqlLiteral({ type: 'BOOL' }, { value: 'yes' })).toThrow('Invalid BOOL value');
    expect(() => sqlLiteral({ type: 'GEOGRAPHY' }, { value: 'POINT(0 0)' })).toThrow(/not emulated/);
  });
});
