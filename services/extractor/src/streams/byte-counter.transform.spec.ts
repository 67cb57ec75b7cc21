import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { pipeline } from 'node:stream/promises';
import { gunzipSync } from 'node:zlib';

import { describe, expect, it } from '@jest/globals';

import { ByteCounterTransform } from './byte-counter.transform.js';
import { createCompressionStream } from './compression.js';
import { CsvEncodeTransform } from './csv-encode.transform.js';

const parts = [Buffer.from('id,name\n'), Buffer.from('1,Zoë\n'), Buffer.alloc(0), Buffer.from('2,"a,b"\n')];

describe('ByteCounterTransform', () => {
  it('passes bytes through unchanged and reports their size and sha256', async () => {
    const counter = new ByteCounterTransform();
    const [out] = await Promise.all([buffer(counter), pipeline(Readable.from(parts), counter)]);
    const whole = Buffer.concat(parts);
    expect(out.equals(whole)).toBe(true);
    expect(counter.byteSize).toBe(whole.length);
    expect(counter.sha256).toBe(createHash('sha256').update(whole).digest('hex'));
  });

  it('reports the empty file and refuses a hash before the end', async () => {
    const counter = new ByteCounterTransform();
    expect(() => counter.sha256).toThrow(/finished/);
    await Promise.all([buffer(counter), pipeline(Readable.from([]), counter)]);
    expect(counter.byteSize).toBe(0);
    expect(counter.sha256).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});

describe('createCompressionStream', () => {
  it('counts the final gzip bytes after encoding, which decompress to the CSV', async () => {
    const rows = Array.from({ length: 2_000 }, (_, i) => ({ id: BigInt(i), name: `name ${i}` }));
    const columns = [
      { name: 'id', type: 'INT64' },
      { name: 'name', type: 'STRING' },
    ] as const;
    const plain = new ByteCounterTransform();
    await Promise.all([buffer(plain), pipeline(Readable.from(rows), new CsvEncodeTransform(columns), plain)]);

    const encoder = new CsvEncodeTransform(columns);
    const counter = new ByteCounterTransform();
    const [gz] = await Promise.all([
      buffer(counter),
      pipeline(
        Readable.from(rows),
        encoder,
        createCompressionStream({ compression: 'gzip', level: 1 }),
        counter,
      ),
    ]);
    expect(encoder.rowCount).toBe(2_000);
    expect(counter.byteSize).toBe(gz.length);
    expect(counter.sha256).toBe(createHash('sha256').update(gz).digest('hex'));
    expect(gz.length).toBeLessThan(plain.byteSize);
    const csv = gunzipSync(gz);
    expect(csv.length).toBe(plain.byteSize);
    expect(createHash('sha256').update(csv).digest('hex')).toBe(plain.sha256);
  });

  it('passes bytes through without compression and rejects a bad level', async () => {
    const stream = createCompressionStream({ compression: 'none' });
    const [out] = await Promise.all([buffer(stream), pipeline(Readable.from(parts), stream)]);
    expect(out.equals(Buffer.concat(parts))).toBe(true);
    expect(() => createCompressionStream({ compression: 'gzip', level: 10 })).toThrow(/level/);
    expect(() => createCompressionStream({ compression: 'gzip', level: 0 })).toThrow(/level/);
  });
});
