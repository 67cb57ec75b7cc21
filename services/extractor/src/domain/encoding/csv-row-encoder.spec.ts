import { describe, expect, it } from '@jest/globals';

import type { ColumnSchema } from './column-schema.js';
import { resolveCsvDialect } from './csv-dialect.js';
import { CsvRowEncoder } from './csv-row-encoder.js';

const columns: ColumnSchema[] = [
  { name: 'id', type: 'INT64' },
  { name: 'name', type: 'STRING' },
  { name: 'score', type: 'FLOAT64' },
];

describe('CsvRowEncoder', () => {
  it('writes BigQuery-style CSV by default: header, minimal RFC 4180 quoting, empty NULL, LF', () => {
    const encoder = new CsvRowEncoder(columns);
    expect(encoder.preamble()).toBe('id,name,score\n');
    expect(encoder.encodeRow({ id: 1n, name: 'plain', score: 1.5 })).toBe('1,plain,1.5\n');
    expect(encoder.encodeRow({ id: 2n, name: 'a,b', score: null })).toBe('2,"a,b",\n');
    expect(encoder.encodeRow({ id: 3n, name: 'say "hi"', score: NaN })).toBe('3,"say ""hi""",nan\n');
    expect(encoder.encodeRow({ id: 4n, name: 'two\nlines\r\n', score: -Infinity })).toBe(
      '4,"two\nlines\r\n",-inf\n',
    );
    expect(encoder.encodeRow({ id: 5n, name: '', score: Infinity })).toBe('5,"",inf\n');
    expect(encoder.encodeRow({ id: null, name: null, score: null })).toBe(',,\n');
    expect(encoder.encodeRow({ id: 6n, name: 'Zoë 東京 😀', score: 0 })).toBe('6,Zoë 東京 😀,0\n');
  });

  it('applies delimiter, CRLF, BOM, null token and no header', () => {
    const encoder = new CsvRowEncoder(columns, {
      delimiter: '\t',
      line_terminator: '\r\n',
      bom: true,
      null_token: 'NULL',
      header: false,
    });
    expect(encoder.preamble()).toBe('\uFEFF');
    expect(encoder.encodeRow({ id: 1n, name: 'a,b', score: null })).toBe('1\ta,b\tNULL\r\n');
    expect(encoder.encodeRow({ id: 2n, name: 'a\tb', score: 1 })).toBe('2\t"a\tb"\t1\r\n');
    expect(encoder.encodeRow({ id: 3n, name: 'NULL', score: 1 })).toBe('3\t"NULL"\t1\r\n');
  });

  it('quotes every value under "all" and non-numeric columns under "nonnumeric", never NULL', () => {
    const all = new CsvRowEncoder(columns, { quote: 'all' });
    expect(all.preamble()).toBe('"id","name","score"\n');
    expect(all.encodeRow({ id: 1n, name: 'x', score: null })).toBe('"1","x",\n');
    const nonnumeric = new CsvRowEncoder([...columns, { name: 'ok', type: 'BOOL' }], { quote: 'nonnumeric' });
    expect(nonnumeric.encodeRow({ id: 1n, name: 'x', score: 2.5, ok: true })).toBe('1,"x",2.5,"true"\n');
    expect(nonnumeric.encodeRow({ id: 1n, name: null, score: null, ok: null })).toBe('1,,,\n');
  });

  it('rejects, under "none", values that would break the row, naming the column only', () => {
    const none = new CsvRowEncoder(columns, { quote: 'none' });
    expect(none.encodeRow({ id: 1n, name: 'x y', score: 1 })).toBe('1,x y,1\n');
    for (const bad of ['a,b', 'a"b', 'a\nb', 'a\rb']) {
      expect(() => none.encodeRow({ id: 1n, name: `secret ${bad}`, score: 1 })).toThrow(/column name/);
      expect(() => none.encodeRow({ id: 1n, name: `secret ${bad}`, score: 1 })).not.toThrow(/secret/);
    }
  });

  it('guards STRING values that a spreadsheet would run as a formula, and only strings', () => {
    const guarded = new CsvRowEncoder(columns, { formula_guard: true });
    const lines = ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx', '＝1', 'safe'].map((name) =>
      guarded.encodeRow({ id: -1n, name, score: -2 }),
    );
    expect(lines).toEqual([
      "-1,'=1+1,-2\n",
      "-1,'+1,-2\n",
      "-1,'-1,-2\n",
      "-1,'@SUM(A1),-2\n",
      "-1,'\tx,-2\n",
      '-1,"\'\rx",-2\n',
      "-1,'＝1,-2\n",
      '-1,safe,-2\n',
    ]);
    expect(new CsvRowEncoder(columns).encodeRow({ id: 1n, name: '=1+1', score: 1 })).toBe('1,=1+1,1\n');
  });

  it('quotes a header name that needs it', () => {
    expect(new CsvRowEncoder([{ name: 'a;b', type: 'STRING' }], { delimiter: ';' }).preamble()).toBe(
      '"a;b"\n',
    );
  });
});

describe('resolveCsvDialect', () => {
  it.each([
    [{ delimiter: '"' }, 'delimiter'],
    [{ delimiter: ',,' }, 'delimiter'],
    [{ delimiter: '\n' }, 'delimiter'],
    [{ null_token: 'a,b' }, 'null_token'],
    [{ quote: 'some' as never }, 'quote'],
    [{ line_terminator: '\r' as never }, 'line_terminator'],
    [{ timestamp_format: 'unix' as never }, 'timestamp_format'],
    [{ time_zone: 'Nowhere/Land' }, 'time_zone'],
  ])('rejects %j naming %s', (partial, field) => {
    expect(() => resolveCsvDialect(partial)).toThrow(expect.objectContaining({ field }));
  });
});
