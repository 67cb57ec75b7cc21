import * as grpc from '@grpc/grpc-js';
import * as BigQueryStorage from '@google-cloud/bigquery-storage';
import { AppError } from '@bq-sftp-export/runtime';

import type { ColumnSchema, ExportRow } from '../domain/encoding/column-schema.js';
import { decodeArrowRows } from './arrow-rows.js';

export type BigQueryReadClient = InstanceType<typeof BigQueryStorage.v1.BigQueryReadClient>;

export interface StorageReadOptions {
  /** Most streams asked of a session (read one after the other, in order). Default 4. */
  readonly maxStreams?: number;
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
      maxStreamCount: options.maxStreams ?? 4,
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
 * The rows of one session, stream by stream. Each ReadRows call is watched: a call that fails
 * with a transient status, or sends nothing for `idleTimeoutMs`, is cancelled and re-opened at
 * the offset of the rows already yielded (none lost, none twice), up to `attempts` times. A
 * session that expired or vanished (FAILED_PRECONDITION / NOT_FOUND) fails the read with a
 * retryable `BIGQUERY_STORAGE_SESSION_LOST`: the staged upload is aborted and the run retried.
 */
export async function* sessionRows(
  client: BigQueryReadClient,
  session: { streams: string[]; schema: Uint8Array },
  columns: readonly ColumnSchema[],
  options: StorageReadOptions,
  signal: AbortSignal | undefined,
): AsyncIterable<ExportRow> {
  const attempts = options.attempts ?? 5;
  const idle = options.idleTimeoutMs ?? 60_000;
  for (const stream of session.streams) {
    let offset = 0;
    for (let attempt = 1; ; attempt++) {
      try {
        const decode = (bytes: Uint8Array): ExportRow[] => decodeArrowRows(session.schema, bytes, columns);
        for await (const rows of readStream(client, stream, offset, idle, decode, signal)) {
          offset += rows.length;
          yield* rows;
        }
        break;
      } catch (error) {
        signal?.throwIfAborted();
        const code = codeOf(error);
        if (code === FAILED_PRECONDITION || code === NOT_FOUND) {
          throw new AppError('the BigQuery read session expired or vanished mid-read', {
            code: 'BIGQUERY_STORAGE_SESSION_LOST',
            retryable: true,
            cause: error,
          });
        }
        if ((code !== undefined && !resumable.has(code)) || attempt >= attempts) {
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

class IdleTimeout extends Error {}

/** One ReadRows call from `offset`, each Arrow batch decoded; cancelled on idle, abort or early exit. */
async function* readStream(
  client: BigQueryReadClient,
  stream: string,
  offset: number,
  idleMs: number,
  decode: (batch: Uint8Array) => ExportRow[],
  signal: AbortSignal | undefined,
): AsyncIterable<ExportRow[]> {
  // No client-side retry: resuming at the right offset is this reader's job.
  const call = client.readRows({ readStream: stream, offset }, { retry: null });
  call.on('error', () => undefined); // reported through the iterator; a cancel's CANCELLED is expected
  const iterator = (call as AsyncIterable<ReadRowsMessage>)[Symbol.asyncIterator]();
  const onAbort = (): void => void call.cancel();
  signal?.addEventListener('abort', onAbort, { once: true });
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
      const bytes = next.value.arrowRecordBatch?.serializedRecordBatch;
      if (bytes instanceof Uint8Array && bytes.length > 0) yield decode(bytes);
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
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
