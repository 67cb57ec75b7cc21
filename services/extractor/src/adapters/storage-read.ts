import * as grpc from '@grpc/grpc-js';
import * as BigQueryStorage from '@google-cloud/bigquery-storage';
import { AppError, faultPoint, FaultPoints } from '@bq-sftp-export/runtime';

import type { ColumnSchema, ExportRow } from '../domain/encoding/column-schema.js';
import { decodeArrowRows } from './arrow-rows.js';

export type BigQueryReadClient = InstanceType<typeof BigQueryStorage.v1.BigQueryReadClient>;

export interface StorageReadOptions {
  /** Most streams asked of a session whose rows need no order. Default 4. */
  readonly maxStreams?: number;
  /** Streams read side by side (the one passed on and the next ones). Default 4. */
  readonly parallelStreams?: number;
  /** Arrow batches each stream may read ahead of the consumer. Default 4. */
  readonly prefetchBatches?: number;
  /** A stream that sends nothing for this long is cancelled and resumed at its offset. Default 60 s. */
  readonly idleTimeoutMs?: number;
  /** ReadRows attempts per stream (first one included) before the read fails. Default 5. */
  readonly attempts?: number;
}

export interface TableRef {
  readonly projectId: string;
  readonly datasetId: string;
  readonly tableId: string;
}

const DEFAULT_MAX_STREAMS = 4;

/** gRPC status codes (numbers, as the client reports them). */
const UNAVAILABLE = 14;
const PERMISSION_DENIED = 7;
const FAILED_PRECONDITION = 9;
const NOT_FOUND = 5;
const UNIMPLEMENTED = 12;
const resumable = new Set([
  UNAVAILABLE,
  4 /* DEADLINE_EXCEEDED */,
  13 /* INTERNAL */,
  8 /* RESOURCE_EXHAUSTED */,
  10 /* ABORTED */,
]);

interface ReadRowsMessage {
  arrowRecordBatch?: { serializedRecordBatch?: Uint8Array | null; rowCount?: unknown } | null;
  rowCount?: unknown;
}

/** A read session could not be made for reasons the REST path does not share. */
export class StorageUnavailable extends Error {}

function codeOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

/**
 * Creates a read session (Arrow) on `table`. PERMISSION_DENIED (no
 * `bigquery.readsessions.create`), UNIMPLEMENTED and UNAVAILABLE become `StorageUnavailable`,
 * on which the caller reads through REST instead.
 */
export async function createSession(
  client: BigQueryReadClient,
  table: TableRef,
  options: StorageReadOptions,
): Promise<{ streams: string[]; schema: Uint8Array }> {
  try {
    const [session] = await client.createReadSession({
      parent: `projects/${table.projectId}`,
      readSession: {
        table: `projects/${table.projectId}/datasets/${table.datasetId}/tables/${table.tableId}`,
        dataFormat: 'ARROW',
      },
      maxStreamCount: options.maxStreams ?? DEFAULT_MAX_STREAMS,
    });
    const schema = session.arrowSchema?.serializedSchema;
    if (!(schema instanceof Uint8Array)) throw new StorageUnavailable('read session has no Arrow schema');
    return { streams: (session.streams ?? []).map((s) => s.name ?? ''), schema };
  } catch (error) {
    const code = codeOf(error);
    if (code === PERMISSION_DENIED || code === UNIMPLEMENTED || code === UNAVAILABLE) {
      throw new StorageUnavailable(`Storage Read API unavailable (gRPC ${code})`);
    }
    throw error;
  }
}

/**
 * The rows of one session, stream after stream in the session's order (so the output is the
 * same however the reads interleave), while up to `parallelStreams` streams are read side by
 * side: the one being passed on and the next ones, each ahead by at most `prefetchBatches`
 * Arrow batches (kept as received bytes, decoded when passed on). A reader whose buffer is full
 * stops pulling, and gRPC flow control stops the server: memory never holds whole streams.
 *
 * Each ReadRows call is watched: a call that fails with a transient status, or sends nothing
 * for `idleTimeoutMs`, is cancelled and re-opened at the offset of the rows already received
 * (none lost, none twice), up to `attempts` times. A session that expired or vanished
 * (FAILED_PRECONDITION / NOT_FOUND) fails the read with a retryable
 * `BIGQUERY_STORAGE_SESSION_LOST`: the staged upload is aborted and the run retried. The first
 * failure of any stream stops every reader and is what the consumer gets.
 */
export async function* sessionRows(
  client: BigQueryReadClient,
  session: { streams: string[]; schema: Uint8Array },
  columns: readonly ColumnSchema[],
  options: StorageReadOptions,
  signal: AbortSignal | undefined,
): AsyncIterable<ExportRow> {
  const stop = new AbortController();
  const onAbort = (): void => stop.abort(signal?.reason);
  if (signal?.aborted === true) onAbort();
  else signal?.addEventListener('abort', onAbort, { once: true });
  const decode = (bytes: Uint8Array): ExportRow[] => decodeArrowRows(session.schema, bytes, columns);
  const settings = {
    attempts: options.attempts ?? 5,
    idleMs: options.idleTimeoutMs ?? 60_000,
    capacity: Math.max(1, options.prefetchBatches ?? 4),
  };
  const failure = new FirstFailure(stop);
  const readers = session.streams.map(
    (stream) => new StreamReader(client, stream, settings, decode, stop.signal, failure),
  );
  const parallel = Math.max(1, options.parallelStreams ?? DEFAULT_MAX_STREAMS);
  try {
    for (let index = 0; index < readers.length; index++) {
      for (const reader of readers.slice(index, index + parallel)) reader.start();
      for (;;) {
        const bytes = await readers[index]!.next();
        if (bytes === undefined) break;
        await faultPoint(FaultPoints.extractorArrowBatch);
        yield* decode(bytes);
      }
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    stop.abort(); // an early exit (or a failure) cancels every open ReadRows call
  }
}

/** The first error of any stream of a session: it stops every reader and is what the read throws. */
class FirstFailure {
  error: unknown;
  failed = false;
  constructor(private readonly stop: AbortController) {}
  set(error: unknown): void {
    if (this.failed) return;
    this.failed = true;
    this.error = error;
    this.stop.abort(error);
  }
}

interface ReaderSettings {
  readonly attempts: number;
  readonly idleMs: number;
  /** Batches a reader may hold that the consumer has not taken yet. */
  readonly capacity: number;
}

/**
 * One stream, read in the background into a buffer of at most `capacity` batches; the
 * consumer takes them with `next()`. Resumes at the received offset after a transient failure.
 */
class StreamReader {
  private readonly buffer: Uint8Array[] = [];
  private finished = false;
  private started = false;
  /** Wakes the consumer (a batch, the end or a failure arrived) or the reader (room in the buffer). */
  private wake: (() => void) | undefined;

  constructor(
    private readonly client: BigQueryReadClient,
    private readonly stream: string,
    private readonly settings: ReaderSettings,
    private readonly decode: (bytes: Uint8Array) => ExportRow[],
    private readonly signal: AbortSignal,
    private readonly failure: FirstFailure,
  ) {}

  start(): void {
    if (this.started) return;
    this.started = true;
    void this.run().then(
      () => {
        this.finished = true;
        this.notify();
      },
      (error: unknown) => {
        this.failure.set(error);
        this.notify();
      },
    );
  }

  /** The next batch's bytes, or undefined at the stream's end; throws the session's first failure. */
  async next(): Promise<Uint8Array | undefined> {
    for (;;) {
      // A failure of any stream, or the caller's abort, ends the whole read.
      if (this.failure.failed) throw this.failure.error;
      this.signal.throwIfAborted();
      const bytes = this.buffer.shift();
      if (bytes !== undefined) {
        this.notify(); // room for the reader
        return bytes;
      }
      if (this.finished) return undefined;
      await this.waitForChange();
    }
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  /** Resolves on the next `notify`, or at once when the session's read is stopped. */
  private waitForChange(): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = (): void => {
        this.signal.removeEventListener('abort', done);
        resolve();
      };
      this.wake = done;
      if (this.signal.aborted) done();
      else this.signal.addEventListener('abort', done, { once: true });
    });
  }

  private async run(): Promise<void> {
    let offset = 0;
    for (let attempt = 1; ; attempt++) {
      try {
        for await (const message of readStream(
          this.client,
          this.stream,
          offset,
          this.settings.idleMs,
          this.signal,
        )) {
          offset += rowsOf(message, this.decode);
          this.buffer.push(message.bytes);
          this.notify();
          while (this.buffer.length >= this.settings.capacity && !this.signal.aborted)
            await this.waitForChange();
          this.signal.throwIfAborted();
        }
        return;
      } catch (error) {
        this.signal.throwIfAborted();
        const code = codeOf(error);
        if (code === FAILED_PRECONDITION || code === NOT_FOUND) {
          throw new AppError('the BigQuery read session expired or vanished mid-read', {
            code: 'BIGQUERY_STORAGE_SESSION_LOST',
            retryable: true,
            cause: error,
          });
        }
        if ((code !== undefined && !resumable.has(code)) || attempt >= this.settings.attempts) {
          throw new AppError(
            `reading query results over the Storage Read API failed (gRPC ${code ?? 'timeout'})`,
            {
              code: 'BIGQUERY_UNAVAILABLE',
              retryable: true,
              cause: error,
            },
          );
        }
      }
    }
  }
}

/** The rows of a batch: the response's `row_count`, or (absent) the decoded batch's length. */
function rowsOf(
  message: { bytes: Uint8Array; rowCount: number },
  decode: (bytes: Uint8Array) => ExportRow[],
): number {
  return message.rowCount > 0 ? message.rowCount : decode(message.bytes).length;
}

class IdleTimeout extends Error {}

/** One ReadRows call from `offset`, its Arrow batches' bytes; cancelled on idle, abort or early exit. */
async function* readStream(
  client: BigQueryReadClient,
  stream: string,
  offset: number,
  idleMs: number,
  signal: AbortSignal,
): AsyncIterable<{ bytes: Uint8Array; rowCount: number }> {
  // No client-side retry: resuming at the right offset is this reader's job. `retry: null` alone
  // leaves gax's retry-request layer on (2 retries of a call that got no response yet, after a
  // backoff), which would re-issue the call behind the reader's back, even after the client closed.
  const call = client.readRows(
    { readStream: stream, offset },
    { retry: null, retryRequestOptions: { retries: 0, noResponseRetries: 0 } },
  );
  call.on('error', () => undefined); // reported through the iterator; a cancel's CANCELLED is expected
  const iterator = (call as AsyncIterable<ReadRowsMessage>)[Symbol.asyncIterator]();
  const onAbort = (): void => void call.cancel();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    for (;;) {
      let timer: NodeJS.Timeout | undefined;
      const next = await Promise.race([
        iterator.next(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new IdleTimeout(`ReadRows sent nothing for ${idleMs} ms`)), idleMs);
        }),
      ]).finally(() => clearTimeout(timer));
      if (next.done === true) return;
      const batch = next.value.arrowRecordBatch;
      const bytes = batch?.serializedRecordBatch;
      if (bytes instanceof Uint8Array && bytes.length > 0) {
        yield { bytes, rowCount: Number(batch?.rowCount ?? next.value.rowCount ?? 0) || 0 };
      }
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    call.cancel();
  }
}

/**
 * The Storage Read API client. With `emulatorHost` (`BIGQUERY_STORAGE_EMULATOR_HOST`, `HOST:PORT`)
 * it talks to a local server over an insecure channel with no credentials, as the other Google
 * emulators are reached.
 */
export function createReadClient(emulatorHost: string | undefined, projectId?: string): BigQueryReadClient {
  if (emulatorHost === undefined || emulatorHost === '') {
    return new BigQueryStorage.v1.BigQueryReadClient(projectId === undefined ? {} : { projectId });
  }
  const colon = emulatorHost.lastIndexOf(':');
  return new BigQueryStorage.v1.BigQueryReadClient({
    servicePath: emulatorHost.slice(0, colon),
    port: Number(emulatorHost.slice(colon + 1)),
    sslCreds: grpc.credentials.createInsecure(),
    projectId: projectId ?? 'local-project',
  });
}
