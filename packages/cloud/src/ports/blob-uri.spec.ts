import { describe, expect, it } from '@jest/globals';

import { formatGcsUri, parseGcsUri } from './blob-uri.js';

describe('parseGcsUri', () => {
  it('splits bucket and object name, keeping slashes in the name', () => {
    expect(parseGcsUri('gs://bqx-staging/staging/shopify/2024-01-01.csv')).toEqual({
      bucket: 'bqx-staging',
      name: 'staging/shopify/2024-01-01.csv',
    });
    expect(formatGcsUri({ bucket: 'b-1', name: 'a/b' })).toBe('gs://b-1/a/b');
  });

  it.each(['s3://bucket/key', 'gs://bucket', 'gs://bucket/', 'gs://UPPER/x', 'gs:///x', 'gs://b/x\0y'])(
    'refuses %j',
    (uri) => {
      expect(() => parseGcsUri(uri)).toThrow(/gs:\/\/bucket\/object/);
    },
  );
});
