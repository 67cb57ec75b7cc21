import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';

import { PipelinedWriteError, writeStreamPipelined, type SftpWriteTarget } from './pipelined-writer.js';

interface Request {
  readonly position: number;
  readonly data: Buffer;
  readonly answer: (error?: Error) => void;
}

/** An SFTP write target that records requests and answers them when told (or at once). */
class FakeTarget implements SftpWriteTarget {
  readonly requests: Request[] = [];
  readonly file = new Map<number, Buffer>();
  inFlight = 0;
  maxInFlight = 0;

  constructor(private readonly autoAnswer: boolean) {}

  write(
    _handle: Buffer,
    buffer: Buffer,
    offset: number,
    length: number,
    position: number,
    callback: (error?: Error) => void,
  ) {
    const data = Buffer.from(buffer.subarray(offset, offset + length));
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    const answer = (error?: Error): void => {
      this.inFlight -= 1;
      if (!error) this.file.set(position, data);
      callback(error);
    };
    this.requests.push({ position, data, answer });
    if (this.autoAnswer) setImmediate(answer);
  }

  contents(): Buffer {
    return Buffer.concat([...this.file.entries()].sort(([a], [b]) => a - b).map(([, data]) => data));
  }
}

const options = { concurrency: 4, chunkBytes: 1000, stallTimeoutMs: 5_000, sha256: true };
const handle = Buffer.from('handle');

/** The PipelinedWriteError a write fails with (fails the test if it succeeds). */
function failureOf(writing: Promise<unknown>): Promise<PipelinedWriteError> {
  return writing.then(
    () => {
      throw new Error('expected the write to fail');
    },
    (error: unknown) => error as PipelinedWriteError,
  );
}

function pieces(sizes: number[]): Buffer[] {
  let n = 0;
  return sizes.map((size) => Buffer.from(Array.from({ length: size }, () => n++ % 251)));
}

describe('writeStreamPipelined', () => {
  it('regroups any chunking into full requests at consecutive offsets and reports bytes and sha256', async () => {
    const target = new FakeTarget(true);
    const input = pieces([10, 2500, 1, 999, 4000, 7]);
    const result = await writeStreamPipelined(target, handle, Readable.from(input), options);
    const all = Buffer.concat(input);
    expect(result).toEqual({ bytes: all.length, sha256: createHash('sha256').update(all).digest('hex') });
    expect(target.requests.map((r) => [r.position, r.data.length])).toEqual([
      [0, 1000],
      [1000, 1000],
      [2000, 1000],
      [3000, 1000],
      [4000, 1000],
      [5000, 1000],
      [6000, 1000],
      [7000, 517],
    ]);
    expect(target.contents().equals(all)).toBe(true);
    expect(target.maxInFlight).toBeLessThanOrEqual(options.concurrency);
    expect(target.maxInFlight).toBeGreaterThan(1);
  });

  it('stops reading the source while all request slots are taken (backpressure)', async () => {
    const target = new FakeTarget(false);
    let produced = 0;
    const source = new Readable({
      highWaterMark: 1,
      objectMode: true,
      read() {
        produced += 1;
        this.push(produced <= 100 ? Buffer.alloc(1000, produced) : null);
      },
    });
    const writing = writeStreamPipelined(target, handle, source, options);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(target.requests).toHaveLength(options.concurrency);
    expect(produced).toBeLessThanOrEqual(options.concurrency + 3);
    // Answer everything as it comes until done.
    for (let answered = 0; answered < 100; answered += 1) {
      while (target.requests[answered] === undefined) await new Promise((resolve) => setImmediate(resolve));
      target.requests[answered]!.answer();
    }
    await expect(writing).resolves.toMatchObject({ bytes: 100_000 });
  });

  it('fails with the first failing request, even one that is not the oldest, and destroys the source', async () => {
    const target = new FakeTarget(false);
    const source = Readable.from(pieces(Array.from({ length: 50 }, () => 1000)));
    const writing = writeStreamPipelined(target, handle, source, options);
    while (target.requests.length < options.concurrency)
      await new Promise((resolve) => setImmediate(resolve));
    target.requests[2]!.answer(Object.assign(new Error('Failure'), { code: 4 }));
    const error = await failureOf(writing);
    expect(error).toBeInstanceOf(PipelinedWriteError);
    expect(error.reason).toBe('write');
    expect((error.cause as { code: number }).code).toBe(4);
    expect(source.destroyed).toBe(true);
  });

  it('reports a failing source as a source failure', async () => {
    const target = new FakeTarget(true);
    const source = Readable.from(
      (function* () {
        yield Buffer.alloc(5000);
        throw new Error('download interrupted');
      })(),
    );
    const error = await failureOf(writeStreamPipelined(target, handle, source, options));
    expect(error.reason).toBe('source');
    expect((error.cause as Error).message).toBe('download interrupted');
  });

  it('fails as stalled when the server stops answering', async () => {
    const target = new FakeTarget(false);
    const error = await failureOf(
      writeStreamPipelined(target, handle, Readable.from(pieces([20_000])), {
        ...options,
        stallTimeoutMs: 50,
      }),
    );
    expect(error.reason).toBe('stalled');
    expect(target.requests).toHaveLength(options.concurrency);
  });

  it('fails at once when aborted, with the abort reason as cause', async () => {
    const target = new FakeTarget(false);
    const controller = new AbortController();
    const writing = writeStreamPipelined(target, handle, Readable.from(pieces([20_000])), {
      ...options,
      signal: controller.signal,
    });
    while (target.requests.length < options.concurrency)
      await new Promise((resolve) => setImmediate(resolve));
    const reason = new Error('connection lost');
    controller.abort(reason);
    const error = await failureOf(writing);
    expect(error.reason).toBe('aborted');
    expect(error.cause).toBe(reason);
  });

  it('writes nothing for an empty source', async () => {
    const target = new FakeTarget(true);
    await expect(writeStreamPipelined(target, handle, Readable.from([]), options)).resolves.toEqual({
      bytes: 0,
      sha256: createHash('sha256').digest('hex'),
    });
    expect(target.requests).toHaveLength(0);
  });
});
