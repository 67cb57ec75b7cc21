import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';

/** The one SFTPWrapper method the writer uses (a seam for unit tests). */
export interface SftpWriteTarget {
  write(
    handle: Buffer,
    buffer: Buffer,
    offset: number,
    length: number,
    position: number,
    callback: (error: Error | null | undefined) => void,
  ): void;
}

export interface PipelinedWriteOptions {
  /** WRITE requests kept in flight. */
  readonly concurrency: number;
  /** Bytes per WRITE request (the last one may be shorter). */
  readonly chunkBytes: number;
  /** Fail when the server answers no request for this long while requests are in flight. */
  readonly stallTimeoutMs: number;
  /** Hash the bytes as they pass (sha256, hex). */
  readonly sha256: boolean;
  /** Aborting fails the write with the signal's reason (e.g. the connection was lost). */
  readonly signal?: AbortSignal;
}

export interface PipelinedWriteResult {
  readonly bytes: number;
  readonly sha256: string | undefined;
}

/** Why a pipelined write failed: the source, a WRITE request, a stalled server, or an abort. */
export class PipelinedWriteError extends Error {
  constructor(
    readonly reason: 'source' | 'write' | 'stalled' | 'aborted',
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
    this.name = 'PipelinedWriteError';
  }
}

/**
 * Streams `source` into an open SFTP file handle with up to `concurrency` WRITE requests of
 * `chunkBytes` in flight at consecutive offsets (the technique of ssh2's `fastPut`, fed by any
 * Readable instead of a local file). The source is read only when a request slot is free, so
 * memory stays at about `concurrency × chunkBytes` whatever the file size. The first failing
 * request fails the whole write; the source is then destroyed.
 */
export async function writeStreamPipelined(
  target: SftpWriteTarget,
  handle: Buffer,
  source: Readable | AsyncIterable<Buffer>,
  options: PipelinedWriteOptions,
): Promise<PipelinedWriteResult> {
  const hash = options.sha256 ? createHash('sha256') : undefined;
  let offset = 0;
  let inFlight = 0;
  let failure: PipelinedWriteError | undefined;
  let wake: (() => void) | undefined;
  const signal = options.signal;

  const notify = (): void => {
    const resume = wake;
    wake = undefined;
    resume?.();
  };
  const fail = (error: PipelinedWriteError): void => {
    failure ??= error;
    notify();
  };
  const onAbort = (): void =>
    fail(new PipelinedWriteError('aborted', 'the write was aborted', { cause: signal?.reason }));
  signal?.addEventListener('abort', onAbort, { once: true });
  if (signal?.aborted) onAbort();

  /** Waits until fewer than `limit` requests are in flight, or a failure. */
  const waitBelow = async (limit: number): Promise<void> => {
    while (inFlight >= limit && failure === undefined) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          fail(new PipelinedWriteError('stalled', `no WRITE answered for ${options.stallTimeoutMs} ms`));
        }, options.stallTimeoutMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    if (failure !== undefined) throw failure;
  };

  const send = async (chunk: Buffer): Promise<void> => {
    await waitBelow(options.concurrency);
    const position = offset;
    offset += chunk.length;
    inFlight += 1;
    try {
      target.write(handle, chunk, 0, chunk.length, position, (error) => {
        inFlight -= 1;
        if (error)
          fail(new PipelinedWriteError('write', `WRITE at offset ${position} failed`, { cause: error }));
        else notify();
      });
    } catch (error) {
      inFlight -= 1;
      const failed = new PipelinedWriteError('write', `WRITE at offset ${position} failed`, { cause: error });
      fail(failed);
      throw failure ?? failed;
    }
  };

  const chunks = new ChunkAccumulator(options.chunkBytes);
  try {
    const iterator = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    for (;;) {
      let next: IteratorResult<Buffer>;
      try {
        next = await iterator.next();
      } catch (error) {
        throw new PipelinedWriteError('source', 'reading the source failed', { cause: error });
      }
      if (failure !== undefined) throw failure;
      if (next.done === true) break;
      const piece = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
      hash?.update(piece);
      for (const chunk of chunks.push(piece)) await send(chunk);
    }
    const tail = chunks.flush();
    if (tail !== undefined) await send(tail);
    await waitBelow(1);
    return { bytes: offset, sha256: hash?.digest('hex') };
  } catch (error) {
    if (typeof (source as Readable).destroy === 'function') (source as Readable).destroy();
    throw error;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

/** Regroups arbitrary pieces into chunks of exactly `size` bytes (zero-copy when pieces are big). */
class ChunkAccumulator {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(private readonly size: number) {}

  *push(piece: Buffer): Generator<Buffer> {
    let rest = piece;
    if (this.pendingBytes > 0) {
      const needed = this.size - this.pendingBytes;
      if (rest.length < needed) {
        this.pending.push(rest);
        this.pendingBytes += rest.length;
        return;
      }
      this.pending.push(rest.subarray(0, needed));
      yield Buffer.concat(this.pending, this.size);
      this.pending = [];
      this.pendingBytes = 0;
      rest = rest.subarray(needed);
    }
    while (rest.length >= this.size) {
      yield rest.subarray(0, this.size);
      rest = rest.subarray(this.size);
    }
    if (rest.length > 0) {
      this.pending.push(rest);
      this.pendingBytes = rest.length;
    }
  }

  flush(): Buffer | undefined {
    if (this.pendingBytes === 0) return undefined;
    const tail = Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    return tail;
  }
}
