import { Readable } from 'node:stream';

import { describe, expect, it } from '@jest/globals';

import { ByteReader } from './byte-reader.js';

function chunks(...parts: string[]): AsyncIterable<Buffer> {
  return Readable.from(parts.map((part) => Buffer.from(part)));
}

async function collect(source: AsyncIterable<Buffer>): Promise<string> {
  const out: Buffer[] = [];
  for await (const chunk of source) out.push(chunk);
  return Buffer.concat(out).toString();
}

describe('ByteReader', () => {
  it('finds delimiters split across chunk borders', async () => {
    const reader = new ByteReader(chunks('head', 'er\r', '\n\r\nbody-bytes-\r\n-', '-end--', 'tail'));
    expect((await reader.readUntil(Buffer.from('\r\n\r\n'), 100)).toString()).toBe('header');
    expect(await collect(reader.streamUntil(Buffer.from('\r\n--end')))).toBe('body-bytes-');
    expect((await reader.readUntil(Buffer.from('tail'), 100)).toString()).toBe('--');
  });

  it('streams a body without waiting for the delimiter to arrive', async () => {
    const reader = new ByteReader(chunks('aaaaaaaaaa', 'bbbbbbbbbb', '|END|'));
    const stream = reader.streamUntil(Buffer.from('|END|'));
    const first = await stream.next();
    expect(String(first.value)).toBe('aaaaaa');
    expect(await collect(stream)).toBe('aaaabbbbbbbbbb');
  });

  it('rejects a body that ends before the delimiter, or a part over the limit', async () => {
    await expect(
      collect(new ByteReader(chunks('abc')).streamUntil(Buffer.from('--x'))),
    ).rejects.toMatchObject({ status: 400 });
    await expect(
      new ByteReader(chunks('a'.repeat(50), 'b')).readUntil(Buffer.from('--x'), 10),
    ).rejects.toMatchObject({
      status: 400,
    });
  });
});
