import { Readable, Transform, Writable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { describe, expect, it } from '@jest/globals';

import { customerColumns, customerRows } from '../testing/customer-rows.js';
import { CsvEncodeTransform } from './csv-encode.transform.js';
import { PacedTransform } from './paced-transform.js';

const OUTPUT = 10 * 1024;
const INPUTS = 100;

/** Each input byte `n` becomes OUTPUT bytes of value `n`. */
class Paced extends PacedTransform {
  constructor() {
    super({ writableObjectMode: true, writableHighWaterMark: 1024 });
  }
  override _transform(input: number, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.pushOutput(Buffer.alloc(OUTPUT, input));
    this.nextInput(callback);
  }
}

/** The same shape on Node's Transform alone, to show what the pacing is for. */
class Unpaced extends Transform {
  constructor() {
    super({ writableObjectMode: true, writableHighWaterMark: 1024 });
  }
  override _transform(input: number, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.push(Buffer.alloc(OUTPUT, input));
    callback();
  }
}

/**
 * Pipes `inputs` (all at once: the source ends at the start) through `stream` into a consumer
 * that takes one chunk per turn of the event loop, as a network upload does; returns the bytes
 * and the most the stream held in its readable buffer.
 */
async function throughSlowConsumer(
  stream: Transform,
  inputs: readonly unknown[],
): Promise<{ bytes: Buffer; mostHeld: number }> {
  const chunks: Buffer[] = [];
  let mostHeld = 0;
  const consumer = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      mostHeld = Math.max(mostHeld, stream.readableLength);
      setImmediate(callback);
    },
  });
  await pipeline(Readable.from(inputs), stream, consumer);
  return { bytes: Buffer.concat(chunks), mostHeld };
}

describe('PacedTransform', () => {
  const inputs = Array.from({ length: INPUTS }, (_, i) => i);

  it('holds its input, not its output, for a slow consumer after its source has ended', async () => {
    // Node's Transform alone: the whole output waits in the readable buffer.
    const unpaced = await throughSlowConsumer(new Unpaced(), inputs);
    expect(unpaced.mostHeld).toBeGreaterThan((INPUTS * OUTPUT) / 2);

    const paced = new Paced();
    const { bytes, mostHeld } = await throughSlowConsumer(paced, inputs);
    expect(mostHeld).toBeLessThanOrEqual(paced.readableHighWaterMark + OUTPUT);
    expect(bytes.length).toBe(INPUTS * OUTPUT);
    expect(inputs.every((i) => bytes[i * OUTPUT] === i && bytes[(i + 1) * OUTPUT - 1] === i)).toBe(true);
  });

  it('paces the CSV encoder fed whole pages, with the same bytes as row by row', async () => {
    const rows = customerRows(2000);
    const pages = Array.from({ length: 20 }, (_, i) => rows.slice(i * 100, (i + 1) * 100));
    const single = await throughSlowConsumer(new CsvEncodeTransform(customerColumns), rows);
    const paged = await throughSlowConsumer(
      new CsvEncodeTransform(customerColumns, {}, { chunkSize: 4096 }),
      pages,
    );
    expect(paged.mostHeld).toBeLessThan(single.bytes.length / 4);
    expect(paged.bytes.equals(single.bytes)).toBe(true);
  });
});
