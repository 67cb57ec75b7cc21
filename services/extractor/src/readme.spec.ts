import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { DEFAULT_CSV_DIALECT } from '@bq-sftp-export/config';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('extractor README', () => {
  it('names the timestamp formats the config takes, and its default', () => {
    const sentence = /TIMESTAMP per `csv\.timestamp_format` — ([^;]+);/.exec(readme)?.[1] ?? '';
    const named = [...sentence.matchAll(/`([a-z0-9_]+)`\s+[(—]/g)].map((m) => m[1]);
    expect(named.sort()).toEqual(['bigquery', 'epoch_millis', 'iso8601']);
    expect(/`([a-z0-9_]+)`\s+\(the default/.exec(sentence)?.[1]).toBe(DEFAULT_CSV_DIALECT.timestampFormat);
  });
});
