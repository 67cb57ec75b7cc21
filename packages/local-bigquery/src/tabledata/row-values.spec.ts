import { describe, expect, it } from '@jest/globals';
import { RowError, recordValues } from './row-values.js';

describe('recordValues', () => {
  const fields = [
    { name: 'Id', type: 'INTEGER', mode: 'REQUIRED' as const },
    { name: 'tags', type: 'STRING', mode: 'REPEATED' as const },
    { name: 'rec', type: 'RECORD', fields: [{ name: 'a', type: 'JSON' }] },
  ];

  it('matches field names case-insensitively and converts nested values', () => {
    expect(recordValues(fields, { id: 1, TAGS: ['x'], rec: { a: { k: 1 } } }, false)).toEqual({
      Id: { value: '1' },
      tags: { arrayValues: [{ value: 'x' }] },
      rec: { structValues: { a: { value: '{"k":1}' } } },
    });
  });

  it('reports missing required fields, unknown fields and NULL array elements by location', () => {
    expect(() => recordValues(fields, { tags: [] }, false)).toThrow(
      new RowError('Id', 'Missing required field: Id.'),
    );
    expect(() => recordValues(fields, { Id: 1, extra: 2 }, false)).toThrow(/no such field: extra/);
    expect(recordValues(fields, { Id: 1, extra: 2 }, true)['tags']).toEqual({ arrayValues: [] });
    expect(() => recordValues(fields, { Id: 1, tags: ['a', null] }, false)).toThrow(/NULL element/);
  });
});
